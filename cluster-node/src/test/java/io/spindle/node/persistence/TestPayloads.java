package io.spindle.node.persistence;

import org.apache.pekko.actor.typed.ActorRef;

/** Events, snapshots and metadata with which the tests check the optional parts of Pekko's plugin contract. */
final class TestPayloads {
    private TestPayloads() {
    }

    /** Holds an ActorRef: it survives only when serialized and deserialized with transport information. */
    public record Ping(ActorRef<String> replyTo) implements TestJsonSerializable {
    }

    /** Metadata stored beside an event or a snapshot (PersistentRepr.metadata, SnapshotMetadata.metadata). */
    public record Stamp(String origin, long version) implements TestJsonSerializable {
    }
}
