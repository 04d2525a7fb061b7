package io.spindle.node.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Configuration of an ActorSystem using the Mongo persistence plugins against a test server. */
final class PersistenceTestConfig {
    /** Fail fast when the server is down instead of the driver's 30 s server selection. */
    static final String FAST_FAILING_OPTIONS = "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000";

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
