package io.spindle.node.worker;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code spindle.workers} configuration (spindle-workers.conf documents every key). */
public record WorkerSettings(
        Duration helloTimeout,
        int maxFrameBytes,
        Duration heartbeatInterval,
        Duration relayInterval,
        Duration unresponsiveAfter,
        Duration watchdogInterval,
        Duration cancelGrace,
        Duration stopGrace,
        boolean deadlineExceededTransient,
        Duration restartBackoffMin,
        Duration restartBackoffMax,
        double restartBackoffFactor,
        int reportAttempts,
        int prefetch,
        String scratchDir) {

    public static final String CONFIG_PATH = "spindle.workers";

    public WorkerSettings {
        if (maxFrameBytes <= 0 || reportAttempts < 1 || prefetch < 0 || restartBackoffFactor < 1.0) {
            throw new IllegalArgumentException("spindle.workers: max-frame-bytes and report-attempts must be positive, "
                    + "prefetch not negative, restart-backoff.factor at least 1");
        }
    }

    /** @param root the whole configuration (reads {@code spindle.workers}) */
    public static WorkerSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        Config backoff = c.getConfig("restart-backoff");
        return new WorkerSettings(
                c.getDuration("hello-timeout"),
                Math.toIntExact(c.getBytes("max-frame-bytes")),
                c.getDuration("heartbeat-interval"),
                c.getDuration("relay-interval"),
                c.getDuration("unresponsive-after"),
                c.getDuration("watchdog-interval"),
                c.getDuration("cancel-grace"),
                c.getDuration("stop-grace"),
                c.getBoolean("deadline-exceeded-transient"),
                backoff.getDuration("min"),
                backoff.getDuration("max"),
                backoff.getDouble("factor"),
                c.getInt("report-attempts"),
                c.getInt("prefetch"),
                c.getString("scratch-dir"));
    }

    public WorkerSettings withUnresponsiveAfter(Duration value) {
        return new WorkerSettings(helloTimeout, maxFrameBytes, heartbeatInterval, relayInterval, value, watchdogInterval,
                cancelGrace, stopGrace, deadlineExceededTransient, restartBackoffMin, restartBackoffMax, restartBackoffFactor,
                reportAttempts, prefetch, scratchDir);
    }

    public WorkerSettings withHelloTimeout(Duration value) {
        return new WorkerSettings(value, maxFrameBytes, heartbeatInterval, relayInterval, unresponsiveAfter, watchdogInterval,
                cancelGrace, stopGrace, deadlineExceededTransient, restartBackoffMin, restartBackoffMax, restartBackoffFactor,
                reportAttempts, prefetch, scratchDir);
    }

    public WorkerSettings withCancelGrace(Duration value) {
        return new WorkerSettings(helloTimeout, maxFrameBytes, heartbeatInterval, relayInterval, unresponsiveAfter, watchdogInterval,
                value, stopGrace, deadlineExceededTransient, restartBackoffMin, restartBackoffMax, restartBackoffFactor,
                reportAttempts, prefetch, scratchDir);
    }

    public WorkerSettings withPrefetch(int value) {
        return new WorkerSettings(helloTimeout, maxFrameBytes, heartbeatInterval, relayInterval, unresponsiveAfter, watchdogInterval,
                cancelGrace, stopGrace, deadlineExceededTransient, restartBackoffMin, restartBackoffMax, restartBackoffFactor,
                reportAttempts, value, scratchDir);
    }

    /** Delay before the next start after {@code consecutiveFailures} (at least 1) abnormal ends in a row. */
    public Duration restartDelay(int consecutiveFailures) {
        double factor = Math.pow(restartBackoffFactor, Math.max(0, consecutiveFailures - 1));
        double millis = Math.min(restartBackoffMax.toMillis(), restartBackoffMin.toMillis() * factor);
        return Duration.ofMillis((long) millis);
    }
}
