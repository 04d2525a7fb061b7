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
    static final String HOSTED_PATH = "spindle.node.hosted-configs";
    static final String SEEDS_PATH = "spindle.boot.seed-configs";

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
        return build(dataDir, port, env, DevRuntimes.Detection.none());
    }

    /**
     * As {@link #build(Path, Integer, Function)}, also hosting (and seeding the configs of) the built-in runtimes
     * {@code runtimes} found on this machine, after the configs of {@value #RESOURCE}.
     */
    public static Config build(Path dataDir, Integer port, Function<String, String> env, DevRuntimes.Detection runtimes) {
        Config base = layers(dataDir, port, env, ConfigFactory.empty());
        if (runtimes.hosted().isEmpty()) {
            return base;
        }
        List<Object> hosted = new ArrayList<>(base.getList(HOSTED_PATH).unwrapped());
        List<Object> seeds = new ArrayList<>(base.getList(SEEDS_PATH).unwrapped());
        for (DevRuntimes.Offer offer : runtimes.hosted()) {
            hosted.add(Map.of("config-id", offer.configId(), "concurrency", DevRuntimes.CONCURRENCY, "worker", Map.of("backend", offer.backend())));
            seeds.add(Map.of("id", offer.configId(), "name", offer.name(), "job-types", offer.jobTypes(),
                    "runtime-backend", offer.backend(), "model-ref", offer.modelRef()));
        }
        Config added = ConfigFactory.parseMap(Map.of(HOSTED_PATH, hosted, SEEDS_PATH, seeds), "spindle dev runtimes");
        return layers(dataDir, port, env, added);
    }

    private static Config layers(Path dataDir, Integer port, Function<String, String> env, Config runtimes) {
        Map<String, Object> options = new LinkedHashMap<>();
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
        return NodeConfig.layered(runtimes, ConfigFactory.parseMap(options, "spindle dev options"), ConfigFactory.parseResources(RESOURCE));
    }
}
