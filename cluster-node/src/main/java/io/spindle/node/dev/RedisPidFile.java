package io.spindle.node.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid and port of the embedded redis-server, kept in its directory. A node killed with SIGKILL cannot stop its
 * redis-server child, which then keeps running on the data dir; the next start finds it by this file and
 * stops it (SIGTERM, so it flushes its append-only file) before starting a new one on the same files.
 */
final class RedisPidFile {
    private static final Logger log = LoggerFactory.getLogger(RedisPidFile.class);
    private static final String FILE = "spindle-redis.pid";
    private static final String HOST = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int SOCKET_TIMEOUT_MS = 2000;
    private static final String PID_FIELD = "process_id:";

    private final Path file;

    RedisPidFile(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Stops the redis-server a previous, killed node left running on this directory, if any. */
    void stopLeftover() {
        Optional<long[]> recorded = read();
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.get()[0];
        int port = (int) recorded.get()[1];
        // Ours only if the server on the recorded port says it is that process: a pid may have been reused.
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> answersAs(port, pid));
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle p = leftover.get();
        log.info("Stopping redis-server {} (port {}) left running on {} by a previous node", pid, port, file.getParent());
        p.destroy();
        try {
            p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }

    /** Asks the server on {@code port} for its pid and writes both down. */
    void record(int port) {
        try {
            Files.writeString(file, pidOf(port) + " " + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.toString());
        }
    }

    /** {pid, port} from the file, if it holds them. */
    private Optional<long[]> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file).trim().split("\\s+");
            return Optional.of(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private static boolean answersAs(int port, long pid) {
        try {
            return pidOf(port) == pid;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The process_id line of INFO server, read over a plain RESP connection. */
    private static long pidOf(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), SOCKET_TIMEOUT_MS);
            s.setSoTimeout(SOCKET_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IllegalStateException("redis-server answered INFO with " + header);
            }
            String info = new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
            return info.lines().filter(l -> l.startsWith(PID_FIELD)).map(l -> Long.parseLong(l.substring(PID_FIELD.length()).trim()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("INFO server names no process_id"));
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer INFO", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
