package io.spindle.node.worker;

import io.spindle.bridge.channel.ChannelSettings;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.bridge.channel.WorkerListener;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerEnv;
import io.spindle.node.config.WorkerLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker OS process and the Unix socket it talks on: spawned with {@value WorkerEnv#SOCKET} pointing at a
 * fresh socket (mode 0600, see {@link WorkerChannel}), its output carried into the node's log. Owned by one
 * {@link WorkerProcess} actor, which gets the process's frames, channel end and exit through the callbacks it
 * passes in and alone kills or shuts it down; {@link #send} is thread-safe, so the {@link Attempt} running on the
 * process sends its run and cancel frames itself.
 */
final class SpawnedWorker {
    private static final Logger log = LoggerFactory.getLogger(SpawnedWorker.class);
    private static final String SOCKET_SUFFIX = ".sock";
    /** Hex digits of the config id hash used when the readable socket name would make the path too long. */
    private static final int SOCKET_HASH_HEX = 12;

    private final String name;
    private final Process process;
    private final WorkerChannel channel;

    private SpawnedWorker(String name, Process process, WorkerChannel channel) {
        this.name = name;
        this.process = process;
        this.channel = channel;
    }

    /**
     * Binds the socket, starts the process and starts reading frames.
     *
     * @param listener gets the worker's frames, protocol errors and the channel's end (on the channel's thread)
     * @param onExit   gets the exit code once the process is gone (on some other thread)
     * @param jobForLog the job the worker runs now, for the prefix of its output lines
     */
    static SpawnedWorker spawn(String name, Path socket, WorkerLaunch command, WorkerSettings settings,
                               WorkerListener listener, IntConsumer onExit, Supplier<String> jobForLog) throws IOException {
        WorkerChannel channel = WorkerChannel.bind(socket, new ChannelSettings(settings.maxFrameBytes(), settings.helloTimeout()));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
            if (command.workingDir() != null) {
                builder.directory(command.workingDir().toFile());
            }
            Map<String, String> env = builder.environment();
            env.putAll(command.env());
            env.put(WorkerEnv.SOCKET, socket.toString());
            env.put(WorkerEnv.HEARTBEAT_MS, Long.toString(settings.heartbeatInterval().toMillis()));
            env.put(WorkerEnv.MAX_FRAME_BYTES, Integer.toString(settings.maxFrameBytes()));
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.start(listener);
        WorkerOutput.pump(process.getInputStream(), name, jobForLog);
        process.onExit().thenAccept(p -> onExit.accept(p.exitValue()));
        log.debug("worker {} spawned (pid {}): {}", name, process.pid(), command.argv());
        return new SpawnedWorker(name, process, channel);
    }

    /** {@code <runDir>/<worker name>.sock}, or a hash of the config id instead when that path is too long for a socket. */
    static Path socketPath(Path runDir, String configId, int index) {
        Path dir = runDir.toAbsolutePath();
        Path readable = dir.resolve(WorkerProcess.workerName(configId, index) + SOCKET_SUFFIX);
        if (readable.toString().getBytes(StandardCharsets.UTF_8).length < WorkerChannel.MAX_SOCKET_PATH_BYTES) {
            return readable;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(configId.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash).substring(0, SOCKET_HASH_HEX) + "-w" + index + SOCKET_SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * Sends a frame without waiting on the worker.
     *
     * @return false when the connection is gone (its end is reported to the listener)
     */
    boolean send(BridgeMessage message) throws ProtocolException {
        return channel.send(message);
    }

    /** ", exit code N" once the process has exited, else empty: for log lines and error messages. */
    String exitDescription() {
        return process.isAlive() ? "" : ", exit code " + process.exitValue();
    }

    /** Kills the process at once (SIGKILL) and closes the socket. */
    void kill() {
        channel.close();
        process.destroyForcibly();
    }

    /** Asks the worker to exit (shutdown frame, then the socket closes); kills it if it is still alive after {@code grace}. */
    void shutdown(Duration grace) {
        try {
            channel.send(new BridgeMessage.Shutdown());
        } catch (ProtocolException impossible) {
            log.debug("worker {}: shutdown frame not sent: {}", name, impossible.getMessage());
        }
        channel.close(); // an SDK worker also exits when its socket closes
        process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS).whenComplete((exited, timeout) -> {
            if (timeout != null) {
                log.warn("worker {} (pid {}) still alive {} after shutdown, killing it", name, process.pid(), grace);
                process.destroyForcibly();
            }
        });
    }
}
