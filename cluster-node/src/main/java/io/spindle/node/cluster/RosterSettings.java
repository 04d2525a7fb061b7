package io.spindle.node.cluster;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code spindle.cluster.roster}: how members keep their {@link MemberRoster} entry and how a joining node reads it. */
public record RosterSettings(String key, Duration interval, Duration ttl, Duration readTimeout) {
    public static RosterSettings fromConfig(Config root) {
        Config c = root.getConfig("spindle.cluster.roster");
        return new RosterSettings(c.getString("key"), c.getDuration("interval"), c.getDuration("ttl"), c.getDuration("read-timeout"));
    }
}
