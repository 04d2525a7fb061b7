package io.spindle.node.readmodel;

import com.typesafe.config.Config;
import java.time.Duration;

/** How the job projection reads, batches and restarts; from {@code spindle.readmodel.projection}. */
public record JobProjectionSettings(
        String readJournalPluginId,
        String offsetName,
        int batchSize,
        Duration batchWindow,
        int rebuildParallelism,
        int recentViews,
        Duration minBackoff,
        Duration maxBackoff,
        double randomFactor) {

    public static final String CONFIG_PATH = "spindle.readmodel.projection";

    public JobProjectionSettings {
        if (batchSize < 1 || rebuildParallelism < 1) {
            throw new IllegalArgumentException("batch-size and rebuild-parallelism must be at least 1");
        }
        if (recentViews < 0) {
            throw new IllegalArgumentException("recent-views must not be negative");
        }
    }

    /** The settings under {@value #CONFIG_PATH} of a node's configuration. */
    public static JobProjectionSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new JobProjectionSettings(
                c.getString("read-journal-plugin-id"),
                c.getString("offset-name"),
                c.getInt("batch-size"),
                c.getDuration("batch-window"),
                c.getInt("rebuild-parallelism"),
                c.getInt("recent-views"),
                c.getDuration("restart.min-backoff"),
                c.getDuration("restart.max-backoff"),
                c.getDouble("restart.random-factor"));
    }

    public JobProjectionSettings withReadJournalPluginId(String value) {
        return new JobProjectionSettings(value, offsetName, batchSize, batchWindow, rebuildParallelism, recentViews, minBackoff,
                maxBackoff, randomFactor);
    }

    public JobProjectionSettings withBatch(int size, Duration window) {
        return new JobProjectionSettings(readJournalPluginId, offsetName, size, window, rebuildParallelism, recentViews,
                minBackoff, maxBackoff, randomFactor);
    }

    public JobProjectionSettings withBackoff(Duration min, Duration max) {
        return new JobProjectionSettings(readJournalPluginId, offsetName, batchSize, batchWindow, rebuildParallelism, recentViews,
                min, max, randomFactor);
    }
}
