package io.spindle.node.persistence;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.slf4j.LoggerFactory;

/** Configuration of an ActorSystem using the Mongo persistence plugins against a test server. */
final class PersistenceTestConfig {
    /** Fail fast when the server is down instead of the driver's 30 s server selection. */
    static final String FAST_FAILING_OPTIONS = "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000";

    static {
        // Driver and server log every command at DEBUG; that drowns the test output.
        for (String noisy : new String[] {"org.mongodb.driver", "de.bwaldvogel", "io.netty", "reactor"}) {
            ((Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
        }
    }

    private PersistenceTestConfig() {
    }

    static Config config(String uri, String database, String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("""
                        spindle.mongo.uri = "%s%s"
                        spindle.mongo.database = "%s"
                        pekko.persistence.journal.plugin = "spindle.persistence.journal"
                        pekko.persistence.snapshot-store.plugin = "spindle.persistence.snapshot"
                        pekko.actor.allow-java-serialization = off
                        pekko.actor.serialization-bindings {
                          "io.spindle.node.persistence.TestJsonSerializable" = jackson-json
                        }
                        spindle.persistence.query.poll-interval = 100ms
                        spindle.persistence.query.gap-timeout = 2s
                        """.formatted(uri, FAST_FAILING_OPTIONS, database)))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    static Config config(String uri, String database) {
        return config(uri, database, "");
    }
}
