package io.spindle.gateway.management;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code spindle.management} configuration (http-gateway's reference.conf documents every key). The token is
 * the API's ({@code spindle.gateway.api-token}): one secret guards both ports.
 */
public record ManagementSettings(boolean enabled, String host, int port, String apiToken, Duration unbindDeadline) {
    public static final String CONFIG_PATH = "spindle.management";

    public ManagementSettings {
        apiToken = apiToken == null ? "" : apiToken.trim();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("spindle.management.port must be 0 to 65535, was " + port);
        }
    }

    /** @param root the node's whole configuration */
    public static ManagementSettings fromConfig(Config root) {
        Config c = root.getConfig(CONFIG_PATH);
        return new ManagementSettings(c.getBoolean("enabled"), c.getString("host"), c.getInt("port"),
                root.getString("spindle.gateway.api-token"), root.getDuration("spindle.gateway.unbind-deadline"));
    }

    public ManagementSettings withPort(int value) {
        return new ManagementSettings(enabled, host, value, apiToken, unbindDeadline);
    }

    public ManagementSettings withApiToken(String value) {
        return new ManagementSettings(enabled, host, port, value, unbindDeadline);
    }
}
