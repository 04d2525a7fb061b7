package io.spindle.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a node's configuration: system properties over the given layers over every {@code reference.conf}
 * on the classpath, resolved once at the end. Resolving last matters: a reference value such as
 * {@code pekko.cluster.roles = ${spindle.node.roles}} then follows a node file that changes the roles,
 * which it would not if the (already resolved) default reference were used as the fallback.
 */
public final class NodeConfig {
    private NodeConfig() {}

    /** The configuration of a node started with {@code --config file}. */
    public static Config load(Path file) {
        return load(file, ConfigFactory.empty());
    }

    /** The configuration of a node started with {@code --config file} and command-line {@code options} over it. */
    public static Config load(Path file, Config options) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException.Generic("config file " + file + " does not exist");
        }
        return layered(options, ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    /** {@code layers} (most important first) over the reference configuration, resolved. */
    public static Config layered(Config... layers) {
        Config merged = ConfigFactory.defaultOverrides();
        for (Config layer : layers) {
            merged = merged.withFallback(layer);
        }
        return merged.withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    }
}
