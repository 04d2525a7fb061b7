package io.spindle.node.persistence;

import com.typesafe.config.Config;
import java.time.Duration;

/** The journal plugin's configuration (section {@code spindle.persistence.journal}). */
record JournalSettings(
        String collection,
        String metadataCollection,
        long maxDocumentBytes,
        int maxBatchDocuments,
        long maxBatchBytes,
        int maxInFlight,
        Duration flushTimeout,
        OrderingBlockSettings orderingBlock,
        ScanWindows scan,
        ReadBatchSettings reads) {

    static JournalSettings from(Config config) {
        return new JournalSettings(
                config.getString("collection"),
                config.getString("metadata-collection"),
                config.getBytes("max-document-bytes"),
                positive(config, "batch.max-documents"),
                config.getBytes("batch.max-bytes"),
                positive(config, "batch.max-in-flight"),
                config.getDuration("batch.flush-timeout"),
                OrderingBlockSettings.from(config.getConfig("ordering-block")),
                ScanWindows.from(config.getConfig("scan")),
                ReadBatchSettings.from(config.getConfig("read-batch")));
    }

    static int positive(Config config, String path) {
        int value = config.getInt(path);
        if (value < 1) {
            throw new IllegalArgumentException(path + " must be at least 1, was " + value);
        }
        return value;
    }

    /** How many global orderings one reservation takes, and for how long a journal hands them out. */
    record OrderingBlockSettings(int size, Duration lifetime) {
        static OrderingBlockSettings from(Config config) {
            Duration lifetime = config.getDuration("lifetime");
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("ordering-block.lifetime must be positive, was " + lifetime);
            }
            return new OrderingBlockSettings(positive(config, "size"), lifetime);
        }
    }

    /** Window sizes for reading one persistence id by sequence numbers. */
    record ScanWindows(int initial, int max) {
        static ScanWindows from(Config config) {
            int initial = positive(config, "initial-window");
            int max = positive(config, "max-window");
            return new ScanWindows(initial, Math.max(initial, max));
        }
    }
}
