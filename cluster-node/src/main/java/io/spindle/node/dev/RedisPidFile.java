package io.spindle.node.dev;

import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private static final String PID_FIELD = "process_id:";

    private final Path file;
    private final String password;

    /** The pid file in {@code dir} of a redis-server requiring {@code password} (empty: none). */
    RedisPidFile(Path dir, String password) {
        this.file = dir.resolve(FILE);
        this.password = password;
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
            PrivateFiles.write(file, (pidOf(port) + " " + port).getBytes(StandardCharsets.US_ASCII));
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

    private boolean answersAs(int port, long pid) {
        try {
            return pidOf(port) == pid;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The process_id line of INFO server, read over a plain RESP connection. */
    private long pidOf(int port) {
        String info = RespClient.call(HOST, port, password, "INFO", "server");
        if (info == null) {
            throw new IllegalStateException("redis-server answered INFO with nothing");
        }
        return info.lines().filter(l -> l.startsWith(PID_FIELD)).map(l -> Long.parseLong(l.substring(PID_FIELD.length()).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("INFO server names no process_id"));
    }
}
