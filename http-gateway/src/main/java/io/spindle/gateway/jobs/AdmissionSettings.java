package io.spindle.gateway.jobs;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code spindle.gateway.admission} section: how many submits a node has in flight at most, the delay a
 * refused client is told to wait, and how long a submit whose ask timed out is settled by asking its entity again.
 */
public record AdmissionSettings(int maxSubmitsInFlight, Duration retryAfter, Duration resolveTimeout) {

    public AdmissionSettings {
        if (maxSubmitsInFlight < 1) {
            throw new IllegalArgumentException("spindle.gateway.admission.max-submits-in-flight must be at least 1, was "
                    + maxSubmitsInFlight);
        }
        if (retryAfter.isNegative() || resolveTimeout.isNegative() || resolveTimeout.isZero()) {
            throw new IllegalArgumentException("spindle.gateway.admission.retry-after must not be negative and resolve-timeout"
                    + " must be positive");
        }
    }

    /** @param c the {@code spindle.gateway.admission} section */
    public static AdmissionSettings fromConfig(Config c) {
        return new AdmissionSettings(c.getInt("max-submits-in-flight"), c.getDuration("retry-after"), c.getDuration("resolve-timeout"));
    }

    /** The Retry-After header's value: whole seconds, at least one (the header has no finer unit). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public AdmissionSettings withMaxSubmitsInFlight(int value) {
        return new AdmissionSettings(value, retryAfter, resolveTimeout);
    }

    public AdmissionSettings withResolveTimeout(Duration value) {
        return new AdmissionSettings(maxSubmitsInFlight, retryAfter, value);
    }
}
