package io.spindle.node.testsupport;

import io.spindle.node.dev.GeneratedSecret;
import io.spindle.node.dev.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code redis-server} from the PATH (Debian package) for a test class, on a free port in a
 * temp dir without persistence, requiring a random password as the embedded one does, and removes it afterwards. Use with
 * {@code @RegisterExtension static RedisServerExtension REDIS = new RedisServerExtension();}; tests stay
 * independent by using their own config ids. Also usable outside JUnit via {@link #start()}/{@link #close()}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private static final String EXECUTABLE = "redis-server";
    private static final List<String> EPHEMERAL = List.of("--save", "", "--appendonly", "no");

    private Path dir;
    private RedisProcess server;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the server; fails with install instructions when redis-server is not on the PATH. */
    public void start() {
        Path exe = RedisProcess.findOnPath(EXECUTABLE).orElseThrow(() -> new IllegalStateException(
                "redis-server is not on the PATH; these tests need a real Redis: apt-get install -y redis-server"));
        try {
            dir = Files.createTempDirectory("spindle-redis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = RedisProcess.start(exe, dir, 0, EPHEMERAL, GeneratedSecret.random());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        MongoServerExtension.deleteRecursively(dir);
    }

    /** {@code redis://127.0.0.1:<port>}; clients also need {@link #password()}. */
    public String uri() {
        return server.uri();
    }

    /** The password the server requires. */
    public String password() {
        return server.password();
    }

    /** {@code spindle.redis} settings reaching this server: uri and password, as HOCON. */
    public String config() {
        return "spindle.redis { uri = \"" + uri() + "\", password = \"" + password() + "\" }";
    }

    public int port() {
        return server.port();
    }

    /** Kills the server like a crash (kill -9); {@link #restart()} brings it back on the same port, empty. */
    public void kill() {
        server.kill();
    }

    /** Stops the server gracefully. */
    public void stop() {
        server.stop();
    }

    /** Starts the server again on the same port (stopping it first if it runs). Without persistence it starts empty. */
    public void restart() {
        server.restart();
    }

    public boolean isAlive() {
        return server.isAlive();
    }

    /** Deletes every key of every database, like an operator's FLUSHALL. */
    public void flushAll() {
        server.command("FLUSHALL");
    }

    /** Runs one command on a fresh connection; status, integer and bulk replies come back as text. */
    public String command(String... args) {
        return server.command(args);
    }

    /** {@code command(...)} for integer replies such as XLEN. */
    public long commandLong(String... args) {
        return Long.parseLong(server.command(args));
    }
}
