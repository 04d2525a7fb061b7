package io.spindle.node.persistence;

/** Marks test events and snapshots serialized with pekko-serialization-jackson (jackson-json). */
public interface TestJsonSerializable {
}
