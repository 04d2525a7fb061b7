package io.spindle.node.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The {@code spindle.node.placement} section: whether this node hosts, without a restart, the active configs whose
 * {@code preferred_node} names it (or one of its {@code aliases}) and whose backend is a built-in shim it can run.
 */
public record PlacementSettings(boolean hostPreferred, List<String> aliases, Duration pollInterval, int concurrency) {
    public PlacementSettings {
        aliases = List.copyOf(aliases);
        if (concurrency < 1) {
            throw new IllegalArgumentException("spindle.node.placement.concurrency must be at least 1");
        }
    }

    public static PlacementSettings from(Config root) {
        Config c = root.getConfig("spindle.node.placement");
        return new PlacementSettings(c.getBoolean("host-preferred"), c.getStringList("aliases"),
                c.getDuration("poll-interval"), c.getInt("concurrency"));
    }

    /** Whether a config's {@code preferred_node} names the node called {@code nodeName}. */
    public boolean names(String preferredNode, String nodeName) {
        return preferredNode != null && (preferredNode.equals(nodeName) || aliases.contains(preferredNode));
    }
}
