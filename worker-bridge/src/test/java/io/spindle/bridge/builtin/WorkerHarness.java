package io.spindle.bridge.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.channel.ChannelSettings;
import io.spindle.bridge.channel.RecordingListener;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerEnv;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real worker OS process on a real {@link WorkerChannel}, as the node's WorkerProcess will run it. */
final class WorkerHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long HEARTBEAT_MS = 100;

    final Path dir;
    final WorkerChannel channel;
    final RecordingListener events = new RecordingListener();
    final Process process;
    private final Path log;
    private final AtomicInteger jobs = new AtomicInteger();

    private WorkerHarness(Path dir, List<String> command, Map<String, String> env) throws IOException {
        this.dir = dir;
        Path socket = dir.resolve("w.sock");
        this.channel = WorkerChannel.bind(socket, ChannelSettings.defaults().withAcceptTimeout(WAIT));
        channel.start(events);
        this.log = dir.resolve("worker.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(WorkerEnv.SOCKET, socket.toString());
        builder.environment().put(WorkerEnv.HEARTBEAT_MS, Long.toString(HEARTBEAT_MS));
        builder.environment().putAll(env);
        this.process = builder.start();
    }

    static WorkerHarness start(Path dir, List<String> command, Map<String, String> env) throws IOException {
        return new WorkerHarness(dir, command, env);
    }

    WorkerMessage.Hello hello() {
        return events.await(WorkerMessage.Hello.class, WAIT);
    }

    /** Sends a run and returns its job id. */
    String run(String type, ObjectNode input, int attempt) {
        String jobId = "j" + jobs.incrementAndGet();
        send(new BridgeMessage.Run(jobId, type, input, new BridgeMessage.RunConfig("cfg-test", 1, null), attempt,
                newScratchDir(jobId).toString(), System.currentTimeMillis() + WAIT.toMillis()));
        return jobId;
    }

    String run(String type, ObjectNode input) {
        return run(type, input, 1);
    }

    Path scratch(String jobId) {
        return dir.resolve("scratch").resolve(jobId);
    }

    /** The job's scratch dir, created private as the node creates it before a run. */
    private Path newScratchDir(String jobId) {
        try {
            return PrivateFiles.directory(scratch(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(BridgeMessage message) {
        try {
            if (!channel.send(message)) {
                throw new IllegalStateException("channel not connected; worker log:\n" + log());
            }
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    <T extends WorkerMessage> T await(String jobId, Class<T> type) {
        return events.awaitFor(jobId, type, WAIT);
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("worker did not exit; log:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) FrameCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        channel.close();
        process.destroyForcibly();
        try {
            process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
