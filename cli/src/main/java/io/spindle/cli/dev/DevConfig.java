package io.spindle.cli.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    static final String HOSTED_PATH = "spindle.node.hosted-configs";
    static final String SEEDS_PATH = "spindle.boot.seed-configs";
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
        return build(dataDir, port, null, null, env, DevRuntimes.Detection.none());
    }

    /** As {@link #build(Path, Integer, Integer, String, Function, DevRuntimes.Detection)}, hosting no runtime shims. */
    public static Config build(Path dataDir, Integer port, Integer clusterPort, String clusterHost, Function<String, String> env) {
        return build(dataDir, port, clusterPort, clusterHost, env, DevRuntimes.Detection.none());
    }

    /** As {@link #build(Path, Integer, Integer, String, Function, DevRuntimes.Detection)}, a one-node cluster. */
    public static Config build(Path dataDir, Integer port, Function<String, String> env, DevRuntimes.Detection runtimes) {
        return build(dataDir, port, null, null, env, runtimes);
    }

    /**
     * @param clusterPort the cluster port other nodes join (the dev node becomes a control node with its embedded
     *                    backends on fixed ports), or null for a one-node cluster on a free port
     * @param clusterHost the address other nodes reach this one at, or null for loopback
     * @param runtimes    the built-in runtimes found on this machine: hosted, with their configs seeded, after the
     *                    configs of {@value #RESOURCE}
     */
    public static Config build(Path dataDir, Integer port, Integer clusterPort, String clusterHost, Function<String, String> env,
                               DevRuntimes.Detection runtimes) {
        Config base = layers(dataDir, port, clusterPort, clusterHost, env, ConfigFactory.empty());
        if (runtimes.hosted().isEmpty()) {
            return base;
        }
        List<Object> hosted = new ArrayList<>(base.getList(HOSTED_PATH).unwrapped());
        List<Object> seeds = new ArrayList<>(base.getList(SEEDS_PATH).unwrapped());
        for (DevRuntimes.Offer offer : runtimes.hosted()) {
            hosted.add(Map.of("config-id", offer.configId(), "concurrency", DevRuntimes.CONCURRENCY, "worker", Map.of("backend", offer.backend())));
            Map<String, Object> seed = new LinkedHashMap<>(Map.of("id", offer.configId(), "name", offer.name(),
                    "job-types", offer.jobTypes(), "runtime-backend", offer.backend()));
            if (offer.modelRef() != null) {
                seed.put("model-ref", offer.modelRef());
            }
            seeds.add(seed);
        }
        Config added = ConfigFactory.parseMap(Map.of(HOSTED_PATH, hosted, SEEDS_PATH, seeds), "spindle dev runtimes");
        return layers(dataDir, port, clusterPort, clusterHost, env, added);
    }

    private static Config layers(Path dataDir, Integer port, Integer clusterPort, String clusterHost, Function<String, String> env,
                                 Config runtimes) {
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
        return NodeConfig.layered(runtimes, ConfigFactory.parseMap(options, "spindle dev options"), dev);
    }
}
