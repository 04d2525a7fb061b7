package io.spindle.node.persistence;

import com.typesafe.config.Config;
import io.spindle.node.persistence.JournalSettings.ScanWindows;
import java.time.Duration;

/** The read journal's configuration (section {@code spindle.persistence.query}). */
record ReadJournalSettings(
        String collection,
        String metadataCollection,
        Duration pollInterval,
        int orderingWindow,
        Duration gapTimeout,
        ScanWindows scan) {

    static ReadJournalSettings from(Config config) {
        return new ReadJournalSettings(
                config.getString("collection"),
                config.getString("metadata-collection"),
                config.getDuration("poll-interval"),
                JournalSettings.positive(config, "ordering-window"),
                config.getDuration("gap-timeout"),
                ScanWindows.from(config.getConfig("scan")));
    }
}
