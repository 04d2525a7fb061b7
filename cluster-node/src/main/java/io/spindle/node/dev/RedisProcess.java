package io.spindle.node.dev;

import io.spindle.bridge.files.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redis-server OS process listening on 127.0.0.1, started from a given executable with settings, considered up
 * once it answers on its port, logging to {@code redis.log} in its directory. Used by {@link EmbeddedRedis} and by
 * tests (which also kill and restart it).
 *
 * <p>Private: its directory is 0700, it runs with umask 077 (redis has no option for the mode of its append-only
 * and dump files), and with a password it requires {@code AUTH}. Every setting, the password included, goes into a
 * 0600 {@code redis.conf} written by {@link #writeConfig} (the one place the server's configuration is built), never
 * onto the command line, where {@code ps} would show it to every local user.
 */
public final class RedisProcess implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final Logger log = LoggerFactory.getLogger(RedisProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final String CONFIG_FILE = "redis.conf";
    private static final String LOG_FILE = "redis.log";
    /** Runs the server with a umask that keeps every file it creates private to this user. */
    private static final List<String> PRIVATE_UMASK = List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\"");
    /** A port picked as free may be taken before redis-server binds it; then another is tried. */
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_CHARS = 2000;

    private final Path executable;
    private final Path dir;
    private final List<String> settings;
    private final String password;
    private final int port;
    private Process process;
    private Thread shutdownHook;

    private RedisProcess(Path executable, Path dir, List<String> settings, String password, int port) {
        this.executable = executable;
        this.dir = dir;
        this.settings = List.copyOf(settings);
        this.password = password == null ? "" : password;
        this.port = port;
    }

    /** The first executable file named {@code name} on the PATH. */
    public static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code executable} working in {@code dir} on {@code port} (0 picks a free one) with extra
     * {@code settings} written like command-line options, such as {@code --appendonly yes}, requiring
     * {@code password} (none when empty), and waits until it answers.
     */
    public static RedisProcess start(Path executable, Path dir, int port, List<String> settings, String password) {
        try {
            PrivateFiles.directory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < (port == 0 ? PORT_ATTEMPTS : 1); attempt++) {
            RedisProcess p = new RedisProcess(executable, dir, settings, password, port == 0 ? freePort() : port);
            try {
                p.launch();
                return p;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** {@code redis://127.0.0.1:<port>}, without the password (safe to log). */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /** The password clients must send with {@code AUTH}; empty when the server requires none. */
    public String password() {
        return password;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Stops the server gracefully (SIGTERM: it flushes its AOF if enabled), forcibly if it takes too long. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("redis-server on port {} did not stop within {}; killing it", port, STOP_TIMEOUT);
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills the server like a crash (SIGKILL): no shutdown, no final AOF flush. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port and directory (stopping it first if it runs). */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** Sends one command (authenticated) and returns its reply: a status, integer or bulk reply as text; errors throw. */
    public String command(String... args) {
        return RespClient.call(HOST, port, password, args);
    }

    /** Stops the server; it cannot be restarted afterwards. */
    @Override
    public synchronized void close() {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway and finds nothing to kill
            }
            shutdownHook = null;
        }
    }

    private synchronized void launch() {
        Path logFile = dir.resolve(LOG_FILE);
        try {
            List<String> cmd = new ArrayList<>(PRIVATE_UMASK);
            cmd.add(executable.toString());
            cmd.add(writeConfig().toString());
            PrivateFiles.file(logFile);
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        if (shutdownHook == null) {
            // A redis-server outliving its JVM would hold the port and the data dir.
            shutdownHook = new Thread(this::kill, "redis-server-" + port + "-killer");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                process = null;
                throw new IllegalStateException("redis-server exited at start (port " + port + "): " + tail(logFile));
            }
            if (answersAsThisProcess()) {
                log.info("redis-server {} up on port {} in {}", executable, port, dir);
                return;
            }
            sleep(POLL_INTERVAL);
        }
        kill();
        throw new IllegalStateException("redis-server did not answer within " + START_TIMEOUT + ": " + tail(logFile));
    }

    /**
     * Writes {@code redis.conf} (0600): loopback only, this port and directory, the extra settings, the password.
     * Rewritten at every launch, so a restart applies the same configuration.
     */
    Path writeConfig() throws IOException {
        List<String> lines = new ArrayList<>(List.of("port " + port, "bind " + HOST, "protected-mode yes",
                "dir " + quote(dir.toAbsolutePath().toString()), "daemonize no"));
        for (int i = 0; i < settings.size(); i++) {
            String option = settings.get(i);
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("redis-server setting '" + option + "' must start with --");
            }
            StringBuilder line = new StringBuilder(option.substring(2));
            while (i + 1 < settings.size() && !settings.get(i + 1).startsWith("--")) {
                line.append(' ').append(quote(settings.get(++i)));
            }
            lines.add(line.toString());
        }
        if (!password.isEmpty()) {
            lines.add("requirepass " + quote(password));
        }
        Path file = dir.resolve(CONFIG_FILE);
        PrivateFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** A redis.conf argument: double-quoted, with backslashes and quotes escaped. */
    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** True once the server on the port is this process (not another server that already held the port). */
    private boolean answersAsThisProcess() {
        try {
            String info = command("INFO", "server");
            return info.lines().anyMatch(l -> l.trim().equals("process_id:" + process.pid()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String tail(Path logFile) {
        try {
            String s = Files.exists(logFile) ? Files.readString(logFile) : "(no log)";
            return s.length() > LOG_TAIL_CHARS ? s.substring(s.length() - LOG_TAIL_CHARS) : s;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
