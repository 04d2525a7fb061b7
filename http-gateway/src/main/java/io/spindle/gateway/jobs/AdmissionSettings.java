package io.spindle.gateway.jobs;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code spindle.gateway.admission} section: the range of the limit on submits in flight and the latency it is
 * adapted to, the delay a refused client is told to wait, and how long a submit whose ask timed out is settled by
 * asking its entity again.
 */
public record AdmissionSettings(int minSubmitsInFlight, int initialSubmitsInFlight, int maxSubmitsInFlight, Duration latencyTarget,
                                Duration retryAfter, Duration resolveTimeout) {

    public AdmissionSettings {
        if (minSubmitsInFlight < 1 || minSubmitsInFlight > maxSubmitsInFlight) {
            throw new IllegalArgumentException("spindle.gateway.admission.min-submits-in-flight must be 1 to max-submits-in-flight ("
                    + maxSubmitsInFlight + "), was " + minSubmitsInFlight);
        }
        initialSubmitsInFlight = Math.max(minSubmitsInFlight, Math.min(maxSubmitsInFlight, initialSubmitsInFlight));
        if (latencyTarget.isNegative() || latencyTarget.isZero()) {
            throw new IllegalArgumentException("spindle.gateway.admission.latency-target must be positive");
        }
        if (retryAfter.isNegative() || resolveTimeout.isNegative() || resolveTimeout.isZero()) {
            throw new IllegalArgumentException("spindle.gateway.admission.retry-after must not be negative and resolve-timeout"
                    + " must be positive");
        }
    }

    /** @param c the {@code spindle.gateway.admission} section */
    public static AdmissionSettings fromConfig(Config c) {
        return new AdmissionSettings(c.getInt("min-submits-in-flight"), c.getInt("initial-submits-in-flight"), c.getInt("max-submits-in-flight"),
                c.getDuration("latency-target"), c.getDuration("retry-after"), c.getDuration("resolve-timeout"));
    }

    /** The Retry-After header's value: whole seconds, at least one (the header has no finer unit). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** A fixed limit: {@code value} submits in flight, whatever their latency. */
    public AdmissionSettings withFixedLimit(int value) {
        return new AdmissionSettings(value, value, value, latencyTarget, retryAfter, resolveTimeout);
    }

    public AdmissionSettings withResolveTimeout(Duration value) {
        return new AdmissionSettings(minSubmitsInFlight, initialSubmitsInFlight, maxSubmitsInFlight, latencyTarget, retryAfter, value);
    }
}
