package io.spindle.node.experiment;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code spindle.experiments}: how often an experiment looks at its jobs ({@code tick-interval}) and how long it
 * waits for a job entity's answer ({@code ask-timeout}).
 */
public record ExperimentSettings(Duration tickInterval, Duration askTimeout) {
    public static ExperimentSettings fromConfig(Config config) {
        Config c = config.getConfig("spindle.experiments");
        return new ExperimentSettings(c.getDuration("tick-interval"), c.getDuration("ask-timeout"));
    }
}
