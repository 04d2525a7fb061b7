package io.spindle.node.experiment;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code spindle.experiments}: how often an experiment looks at its jobs ({@code tick-interval}) and how long it
 * waits for a job entity's answer ({@code ask-timeout}), and how many unfinished live jobs a shadow's experiment asks
 * about per tick ({@code shadow-watch-per-tick}).
 */
public record ExperimentSettings(Duration tickInterval, Duration askTimeout, int shadowWatchPerTick) {
    public static ExperimentSettings fromConfig(Config config) {
        Config c = config.getConfig("spindle.experiments");
        return new ExperimentSettings(c.getDuration("tick-interval"), c.getDuration("ask-timeout"), c.getInt("shadow-watch-per-tick"));
    }
}
