package io.spindle.node.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis of {@code spindle dev}: the system's redis-server from the PATH when there is one, else the
 * Linux/macOS binary bundled in the embedded-redis jar (Redis 6.2; streams incl. XAUTOCLAIM work).
 * Durable with an append-only file in the given data dir, so queued tickets survive a restart. Private: on
 * 127.0.0.1 only, requiring a password, its files 0600 in a 0700 directory (see {@link RedisProcess}).
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String EXECUTABLE = "redis-server";
    /** AOF fsynced every second: at most a second of enqueues lost on a crash (the outbox re-enqueues them). */
    private static final List<String> DURABLE = List.of("--appendonly", "yes", "--appendfsync", "everysec", "--save", "");

    private final RedisProcess process;
    private final boolean bundled;

    private EmbeddedRedis(RedisProcess process, boolean bundled) {
        this.process = process;
        this.bundled = bundled;
    }

    /** Starts a Redis keeping its data in {@code dataDir}, on a free port, requiring {@code password}. */
    public static EmbeddedRedis start(Path dataDir, String password) {
        return start(dataDir, 0, password);
    }

    /** Starts a Redis keeping its data in {@code dataDir} on {@code port} (0 picks a free one), requiring {@code password}. */
    public static EmbeddedRedis start(Path dataDir, int port, String password) {
        return RedisProcess.findOnPath(EXECUTABLE)
                .map(exe -> new EmbeddedRedis(RedisProcess.start(exe, dataDir, port, DURABLE, password), false))
                .orElseGet(() -> startBundled(dataDir, port, password));
    }

    /** Starts the binary bundled in the embedded-redis jar, even when redis-server is on the PATH. */
    public static EmbeddedRedis startBundled(Path dataDir, int port, String password) {
        Path exe;
        try {
            exe = ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled redis-server", e);
        }
        log.info("No {} on the PATH; using the bundled one ({})", EXECUTABLE, exe);
        return new EmbeddedRedis(RedisProcess.start(exe, dataDir, port, DURABLE, password), true);
    }

    /** {@code redis://127.0.0.1:<port>}, for {@code spindle.redis.uri}; without the password (safe to log). */
    public String uri() {
        return process.uri();
    }

    /** The password it requires, for {@code spindle.redis.password}. */
    public String password() {
        return process.password();
    }

    public int port() {
        return process.port();
    }

    /** True when running the jar's bundled binary rather than the system's redis-server. */
    public boolean bundled() {
        return bundled;
    }

    /** True while the redis-server process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Starts the server again on the same port and data dir (its append-only file), after it died. */
    public void restart() {
        process.restart();
    }

    /** Stops the server gracefully (flushing its append-only file). */
    @Override
    public void close() {
        process.close();
    }
}
