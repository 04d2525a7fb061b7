package io.spindle.node.memory;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code spindle.memory} section (spindle-memory.conf documents every key). */
public record MemorySettings(boolean returnHeap, int minHeapFreeRatio, int maxHeapFreeRatio, Duration idleCollectionInterval,
                             int idleHeapFreeRatio, Duration nativeTrimInterval) {
    public static final String CONFIG_PATH = "spindle.memory";

    public MemorySettings {
        if (minHeapFreeRatio < 0 || minHeapFreeRatio > maxHeapFreeRatio || maxHeapFreeRatio > 100) {
            throw new IllegalArgumentException(CONFIG_PATH + ": need 0 <= min-heap-free-ratio <= max-heap-free-ratio <= 100, got "
                    + minHeapFreeRatio + " and " + maxHeapFreeRatio);
        }
        if (idleHeapFreeRatio < 0 || idleHeapFreeRatio > 100) {
            throw new IllegalArgumentException(CONFIG_PATH + ": need 0 <= idle-heap-free-ratio <= 100, got " + idleHeapFreeRatio);
        }
        if (idleCollectionInterval.isNegative() || nativeTrimInterval.isNegative()) {
            throw new IllegalArgumentException(CONFIG_PATH + ": intervals must not be negative");
        }
    }

    public static MemorySettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new MemorySettings(c.getBoolean("return-heap"), c.getInt("min-heap-free-ratio"), c.getInt("max-heap-free-ratio"),
                c.getDuration("idle-collection-interval"), c.getInt("idle-heap-free-ratio"), c.getDuration("native-trim-interval"));
    }
}
