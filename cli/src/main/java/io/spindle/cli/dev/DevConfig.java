package io.spindle.cli.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The configuration of {@code spindle dev}: {@value #RESOURCE} (every role, embedded backends, built-in
 * workers, demo configs) with the command's options on top. A backend whose address the environment
 * names (SPINDLE_MONGO_URI, SPINDLE_REDIS_URI, SPINDLE_S3_ENDPOINT) is used instead of its embedded one.
 */
public final class DevConfig {
    public static final String RESOURCE = "spindle/dev.conf";
    /** Where the HTTP gateway reads its port (default 8080, or SPINDLE_HTTP_PORT). */
    public static final String HTTP_PORT_PATH = "spindle.gateway.port";
    /** Layered under the options when the dev node is a control node ({@code --cluster-port}): fixed backend ports. */
    public static final String CONTROL_RESOURCE = "spindle/dev-control.conf";
    private static final String CLUSTER_PORT_PATH = "pekko.remote.artery.canonical.port";
    private static final String CLUSTER_HOST_PATH = "pekko.remote.artery.canonical.hostname";

    private static final Map<String, String> EXTERNAL_BACKENDS = Map.of(
            "SPINDLE_MONGO_URI", "spindle.dev.embed.mongo",
            "SPINDLE_REDIS_URI", "spindle.dev.embed.redis",
            "SPINDLE_S3_ENDPOINT", "spindle.dev.embed.s3");

    private DevConfig() {}

    /**
     * @param dataDir the data directory, or null for the default (~/.spindle, or SPINDLE_DATA_DIR)
     * @param port the HTTP port, or null for the gateway's default
     * @param env the environment (System::getenv outside tests)
     */
    public static Config build(Path dataDir, Integer port, Function<String, String> env) {
        return build(dataDir, port, null, null, env);
    }

    /**
     * @param clusterPort the cluster port other nodes join (the dev node becomes a control node with its embedded
     *                    backends on fixed ports), or null for a one-node cluster on a free port
     * @param clusterHost the address other nodes reach this one at, or null for loopback
     */
    public static Config build(Path dataDir, Integer port, Integer clusterPort, String clusterHost, Function<String, String> env) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (clusterPort != null) {
            options.put(CLUSTER_PORT_PATH, clusterPort);
        }
        if (clusterHost != null) {
            options.put(CLUSTER_HOST_PATH, clusterHost);
        }
        if (dataDir != null) {
            options.put("spindle.node.data-dir", dataDir.toAbsolutePath().toString());
        }
        if (port != null) {
            options.put(HTTP_PORT_PATH, port);
        }
        EXTERNAL_BACKENDS.forEach((variable, embedKey) -> {
            String value = env.apply(variable);
            if (value != null && !value.isBlank()) {
                options.put(embedKey, false);
            }
        });
        Config dev = ConfigFactory.parseResources(RESOURCE);
        if (clusterPort != null) {
            dev = ConfigFactory.parseResources(CONTROL_RESOURCE).withFallback(dev);
        }
        return NodeConfig.layered(ConfigFactory.parseMap(options, "spindle dev options"), dev);
    }
}
