package io.spindle.node.dispatch;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code spindle.dispatch} configuration (spindle-workers.conf documents every key). */
public record DispatchSettings(
        Duration leaseTtl,
        Duration takeBlock,
        Duration retryDelay,
        Duration claimStaleInterval,
        Duration claimStaleMinIdle,
        int ackMaxBatch,
        Duration ackFlushDelay,
        Duration gaugeInterval) {

    public static final String CONFIG_PATH = "spindle.dispatch";

    public DispatchSettings {
        if (ackMaxBatch < 1) {
            throw new IllegalArgumentException("spindle.dispatch.ack-max-batch must be positive, was " + ackMaxBatch);
        }
    }

    /** @param root the whole configuration (reads {@code spindle.dispatch}) */
    public static DispatchSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new DispatchSettings(
                c.getDuration("lease-ttl"),
                c.getDuration("take-block"),
                c.getDuration("retry-delay"),
                c.getDuration("claim-stale-interval"),
                c.getDuration("claim-stale-min-idle"),
                c.getInt("ack-max-batch"),
                c.getDuration("ack-flush-delay"),
                c.getDuration("gauge-interval"));
    }
}
