package io.spindle.node.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.dev.EmbeddedRedis;
import io.spindle.node.dev.EmbeddedS3;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends {@code spindle.dev.embedded} runs inside the node process (see spindle-boot.conf): started
 * before the actor system, so that {@link #configure} can point the journal, read model, queue and artifact
 * store at their addresses; stopped after it, in reverse order. Starting the Mongo-wire server first also
 * guards the data dir: its H2 file is locked, so a second node on the same data dir fails before touching
 * the first one's Redis.
 */
public final class EmbeddedBackends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBackends.class);

    private final Map<String, Object> overrides;
    private final Deque<AutoCloseable> started;

    private EmbeddedBackends(Map<String, Object> overrides, Deque<AutoCloseable> started) {
        this.overrides = overrides;
        this.started = started;
    }

    /** Starts the embedded backends {@code config} asks for (none unless {@code spindle.dev.embedded = on}). */
    public static EmbeddedBackends start(Config config) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        Config dev = config.getConfig("spindle.dev");
        if (!dev.getBoolean("embedded")) {
            return new EmbeddedBackends(overrides, started);
        }
        Path dataDir = Path.of(config.getString("spindle.node.data-dir")).toAbsolutePath();
        try {
            if (dev.getBoolean("embed.mongo")) {
                EmbeddedMongo mongo = EmbeddedMongo.start(dataDir.resolve(dev.getString("mongo.file")),
                        dev.getString("mongo.host"), dev.getInt("mongo.port"));
                started.push(mongo);
                overrides.put("spindle.mongo.uri", mongo.uri());
                log.info("Embedded Mongo-wire server on {} storing in {}", mongo.uri(), dataDir.resolve(dev.getString("mongo.file")));
            }
            if (dev.getBoolean("embed.redis")) {
                Path dir = dataDir.resolve(dev.getString("redis.directory"));
                RedisPidFile pidFile = new RedisPidFile(dir);
                pidFile.stopLeftover();
                EmbeddedRedis redis = EmbeddedRedis.start(dir, dev.getInt("redis.port"));
                pidFile.record(redis.port());
                RedisSupervisor supervisor = new RedisSupervisor(redis, pidFile, dev.getDuration("redis.check-interval"),
                        dev.getDuration("redis.restart-backoff.min"), dev.getDuration("redis.restart-backoff.max")).start();
                started.push(() -> {
                    supervisor.close();
                    redis.close();
                    pidFile.delete();
                });
                overrides.put("spindle.redis.uri", redis.uri());
                log.info("Embedded Redis on {} ({}) storing in {}", redis.uri(), redis.bundled() ? "bundled binary" : "redis-server from the PATH", dir);
            }
            if (dev.getBoolean("embed.s3")) {
                EmbeddedS3 s3 = EmbeddedS3.start(config.getConfig("spindle.artifacts.embedded"), dataDir);
                started.push(s3);
                Config embedded = config.getConfig("spindle.artifacts.embedded");
                overrides.put("spindle.artifacts.s3.endpoint", s3.endpoint());
                overrides.put("spindle.artifacts.s3.path-style-access", true);
                overrides.put("spindle.artifacts.s3.access-key", embedded.getString("access-key"));
                overrides.put("spindle.artifacts.s3.secret-key", embedded.getString("secret-key"));
                overrides.put("spindle.artifacts.s3.credentials", "auto");
                overrides.put("spindle.artifacts.s3.create-bucket", true);
            }
        } catch (RuntimeException e) {
            new EmbeddedBackends(overrides, started).close();
            throw e;
        }
        return new EmbeddedBackends(overrides, started);
    }

    /** {@code config} pointed at the embedded backends (unchanged when none runs). */
    public Config configure(Config config) {
        return overrides.isEmpty() ? config : ConfigFactory.parseMap(overrides, "embedded backends").withFallback(config);
    }

    /** True when at least one backend runs in this process. */
    public boolean any() {
        return !started.isEmpty();
    }

    /** Stops every started backend, last started first. Idempotent. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable backend = started.pop();
            try {
                backend.close();
            } catch (Exception e) {
                log.warn("An embedded backend did not stop cleanly", e);
            }
        }
    }
}
