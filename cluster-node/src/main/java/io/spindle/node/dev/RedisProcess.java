package io.spindle.node.dev;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * A redis-server OS process listening on 127.0.0.1, started from a given executable with command-line
 * settings, considered up once it answers on its port, logging to {@code redis.log} in its directory. Used by
 * {@link EmbeddedRedis} and by tests (which also kill and restart it).
 */
public final class RedisProcess implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final Logger log = LoggerFactory.getLogger(RedisProcess.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final int SOCKET_TIMEOUT_MS = 2000;
    /** A port picked as free may be taken before redis-server binds it; then another is tried. */
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_CHARS = 2000;

    private final Path executable;
    private final Path dir;
    private final List<String> settings;
    private final int port;
    private Process process;
    private Thread shutdownHook;

    private RedisProcess(Path executable, Path dir, List<String> settings, int port) {
        this.executable = executable;
        this.dir = dir;
        this.settings = List.copyOf(settings);
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
     * command-line {@code settings} such as {@code --appendonly yes}, and waits until it answers.
     */
    public static RedisProcess start(Path executable, Path dir, int port, List<String> settings) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < (port == 0 ? PORT_ATTEMPTS : 1); attempt++) {
            RedisProcess p = new RedisProcess(executable, dir, settings, port == 0 ? freePort() : port);
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

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
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

    /** Sends one command and returns its reply: a status, integer or bulk reply as text; errors throw. */
    public String command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), SOCKET_TIMEOUT_MS);
            s.setSoTimeout(SOCKET_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String line = readLine(in);
            char type = line.isEmpty() ? '?' : line.charAt(0);
            if (type == '-') {
                throw new IllegalStateException("redis-server replied " + line.substring(1));
            }
            if (type == '$') {
                int len = Integer.parseInt(line.substring(1));
                return len < 0 ? null : new String(in.readNBytes(len), StandardCharsets.UTF_8);
            }
            return line.substring(1);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer", e);
        }
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
        List<String> cmd = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toAbsolutePath().toString(),
                "--daemonize", "no"));
        cmd.addAll(settings);
        Path logFile = dir.resolve("redis.log");
        try {
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

    /** True once the server on the port is this process (not another server that already held the port). */
    private boolean answersAsThisProcess() {
        try {
            String info = command("INFO", "server");
            return info.lines().anyMatch(l -> l.trim().equals("process_id:" + process.pid()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            buf.write(c);
        }
        if (c == -1 && buf.size() == 0) {
            throw new IOException("connection closed");
        }
        return buf.toString(StandardCharsets.UTF_8);
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
