package io.spindle.node.persistence;

import com.typesafe.config.Config;
import java.time.Duration;

/** How concurrent reads of many persistence ids are coalesced (a {@code read-batch} section). */
record ReadBatchSettings(int maxIds, int maxInFlight, Duration timeout) {

    static ReadBatchSettings from(Config config) {
        return new ReadBatchSettings(
                JournalSettings.positive(config, "max-ids"),
                JournalSettings.positive(config, "max-in-flight"),
                config.getDuration("timeout"));
    }
}
