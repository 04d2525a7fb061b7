package io.spindle.node.job;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code spindle.jobs} configuration (spindle-jobs.conf documents every key). */
public record JobSettings(
        Duration defaultLeaseTtl,
        Duration leaseRecoveryGrace,
        RetryBackoff retryBackoff,
        Duration cancelGrace,
        int snapshotEvery,
        int keepSnapshots,
        Duration passivateAfter,
        Duration askTimeout) {

    public static final String CONFIG_PATH = "spindle.jobs";

    public static JobSettings create(ActorSystem<?> system) {
        return fromConfig(system.settings().config().getConfig(CONFIG_PATH));
    }

    /** @param config the {@code spindle.jobs} section */
    public static JobSettings fromConfig(Config config) {
        Config backoff = config.getConfig("retry-backoff");
        return new JobSettings(
                config.getDuration("lease.default-ttl"),
                config.getDuration("lease.recovery-grace"),
                new RetryBackoff(backoff.getDuration("base"), backoff.getDouble("factor"),
                        backoff.getDuration("max"), backoff.getDouble("jitter")),
                config.getDuration("cancel-grace"),
                config.getInt("snapshot-every"),
                config.getInt("keep-snapshots"),
                config.getDuration("passivate-after"),
                config.getDuration("ask-timeout"));
    }

    public JobSettings withLeaseRecoveryGrace(Duration value) {
        return new JobSettings(defaultLeaseTtl, value, retryBackoff, cancelGrace, snapshotEvery, keepSnapshots, passivateAfter, askTimeout);
    }

    public JobSettings withRetryBackoff(RetryBackoff value) {
        return new JobSettings(defaultLeaseTtl, leaseRecoveryGrace, value, cancelGrace, snapshotEvery, keepSnapshots, passivateAfter, askTimeout);
    }

    public JobSettings withSnapshotEvery(int value) {
        return new JobSettings(defaultLeaseTtl, leaseRecoveryGrace, retryBackoff, cancelGrace, value, keepSnapshots, passivateAfter, askTimeout);
    }

    public JobSettings withPassivateAfter(Duration value) {
        return new JobSettings(defaultLeaseTtl, leaseRecoveryGrace, retryBackoff, cancelGrace, snapshotEvery, keepSnapshots, value, askTimeout);
    }
}
