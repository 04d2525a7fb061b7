package io.spindle.node.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>Private by default: the data dir is 0700 and nothing under it is open to other users (what an older version
 * left open is tightened at start); Redis and S3 listen on loopback and require credentials generated on first
 * start and kept in {@code <data dir>/<spindle.dev.secrets>} (0600).
 */
public final class EmbeddedBackends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBackends.class);
    /** Files in the secrets directory. */
    static final String REDIS_PASSWORD = "redis-password";

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
        makePrivate(dataDir);
        Path secrets = dataDir.resolve(dev.getString("secrets"));
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
                String password = GeneratedSecret.load(secrets.resolve(REDIS_PASSWORD));
                RedisPidFile pidFile = new RedisPidFile(dir, password);
                pidFile.stopLeftover();
                EmbeddedRedis redis = EmbeddedRedis.start(dir, dev.getInt("redis.port"), password);
                pidFile.record(redis.port());
                RedisSupervisor supervisor = new RedisSupervisor(redis, pidFile, dev.getDuration("redis.check-interval"),
                        dev.getDuration("redis.restart-backoff.min"), dev.getDuration("redis.restart-backoff.max")).start();
                started.push(() -> {
                    supervisor.close();
                    redis.close();
                    pidFile.delete();
                });
                overrides.put("spindle.redis.uri", redis.uri());
                overrides.put("spindle.redis.password", redis.password());
                log.info("Embedded Redis on {} ({}) storing in {}", redis.uri(), redis.bundled() ? "bundled binary" : "redis-server from the PATH", dir);
            }
            if (dev.getBoolean("embed.s3")) {
                EmbeddedS3 s3 = EmbeddedS3.start(config.getConfig("spindle.artifacts.embedded"), dataDir, secrets);
                started.push(s3);
                overrides.put("spindle.artifacts.s3.endpoint", s3.endpoint());
                overrides.put("spindle.artifacts.s3.path-style-access", true);
                overrides.put("spindle.artifacts.s3.access-key", s3.accessKey());
                overrides.put("spindle.artifacts.s3.secret-key", s3.secretKey());
                overrides.put("spindle.artifacts.s3.credentials", "auto");
                overrides.put("spindle.artifacts.s3.create-bucket", true);
            }
        } catch (RuntimeException e) {
            new EmbeddedBackends(overrides, started).close();
            throw e;
        }
        return new EmbeddedBackends(overrides, started);
    }

    /** The data dir 0700 and everything this user owns under it without group or others rights. */
    private static void makePrivate(Path dataDir) {
        try {
            PrivateFiles.directory(dataDir);
            int tightened = PrivateFiles.tighten(dataDir);
            if (tightened > 0) {
                log.info("Took group and others rights off {} files and directories under {}", tightened, dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the data dir " + dataDir + " private", e);
        }
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
