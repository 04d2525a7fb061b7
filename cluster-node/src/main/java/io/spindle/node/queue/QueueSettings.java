package io.spindle.node.queue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** The {@code spindle.queue} settings (see spindle-queue.conf) and the key names derived from them. */
public record QueueSettings(
        String keyPrefix,
        String group,
        List<PriorityBand> bands,
        boolean ackDeletes,
        Duration trimInterval,
        Duration consumerExpiry,
        Duration recheckInterval,
        int claimScansPerBand,
        int enqueueChunk) {

    public QueueSettings {
        bands = List.copyOf(bands);
        if (bands.isEmpty()) {
            throw new IllegalArgumentException("spindle.queue.bands needs at least one band");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < bands.size(); i++) {
            if (!names.add(bands.get(i).name())) {
                throw new IllegalArgumentException("duplicate band name " + bands.get(i).name());
            }
            if (i > 0 && bands.get(i).minPriority() >= bands.get(i - 1).minPriority()) {
                throw new IllegalArgumentException("spindle.queue.bands must be ordered by strictly descending min-priority");
            }
        }
        if (recheckInterval.isZero() || recheckInterval.isNegative()) {
            throw new IllegalArgumentException("spindle.queue.recheck-interval must be positive");
        }
        if (enqueueChunk < 1) {
            throw new IllegalArgumentException("spindle.queue.enqueue-chunk must be at least 1");
        }
        if (claimScansPerBand < 1) {
            throw new IllegalArgumentException("spindle.queue.claim-scans-per-band must be at least 1");
        }
    }

    /** Reads {@code spindle.queue} of a root config. */
    public static QueueSettings fromConfig(Config root) {
        Config q = root.getConfig("spindle.queue");
        List<PriorityBand> bands = q.getConfigList("bands").stream()
                .map(b -> new PriorityBand(b.getString("name"), b.getInt("min-priority")))
                .toList();
        return new QueueSettings(
                q.getString("key-prefix"),
                q.getString("group"),
                bands,
                q.getBoolean("ack-deletes"),
                q.getDuration("trim-interval"),
                q.getDuration("consumer-expiry"),
                q.getDuration("recheck-interval"),
                q.getInt("claim-scans-per-band"),
                q.getInt("enqueue-chunk"));
    }

    /** The band a priority belongs to: the first whose minimum it reaches, else the last. */
    public int bandOf(int priority) {
        for (int i = 0; i < bands.size(); i++) {
            if (priority >= bands.get(i).minPriority()) {
                return i;
            }
        }
        return bands.size() - 1;
    }

    /** {@code <prefix>:{<config>}:<band>}; the braces keep a config's bands in one Redis Cluster slot. */
    public String streamKey(String configId, int band) {
        return keyPrefix + ":{" + configId + "}:" + bands.get(band).name();
    }

    /** The stream keys of a config, highest band first. */
    public List<String> streamKeys(String configId) {
        return IntStream.range(0, bands.size()).mapToObj(b -> streamKey(configId, b)).toList();
    }

    /** The pub/sub channel on which enqueues announce new tickets of a config. */
    public String readyChannel(String configId) {
        return keyPrefix + ":{" + configId + "}:ready";
    }
}
