package io.spindle.node.sweep;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code spindle.sweep} section (spindle-sweep.conf documents every key). */
public record SweepSettings(Duration initialDelay, Duration interval, Duration minAge, Duration maxAge, int maxJobs, int pageSize, int parallelism,
                            String role) {
    public static final String CONFIG_PATH = "spindle.sweep";

    public SweepSettings {
        if (minAge.isNegative() || maxAge.compareTo(minAge) < 0) {
            throw new IllegalArgumentException("spindle.sweep: need 0 <= min-age <= max-age, got " + minAge + " and " + maxAge);
        }
        if (maxJobs < 1 || pageSize < 1 || parallelism < 1) {
            throw new IllegalArgumentException("spindle.sweep: max-jobs, page-size and parallelism must be at least 1");
        }
    }

    public static SweepSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new SweepSettings(c.getDuration("initial-delay"), c.getDuration("interval"), c.getDuration("min-age"), c.getDuration("max-age"),
                c.getInt("max-jobs"), c.getInt("page-size"), c.getInt("parallelism"), c.getString("role"));
    }

    /** False when the sweeper is switched off ({@code interval = 0s}). */
    public boolean enabled() {
        return !interval.isZero() && !interval.isNegative();
    }
}
