package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.channel.ChannelSettings;
import io.spindle.bridge.channel.RecordingListener;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import io.spindle.bridge.sdk.WorkerBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link RuntimeWorker} serving in this JVM over a real bridge channel: runs go in as frames, answers come back. */
final class ShimBridge implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    final RecordingListener events = new RecordingListener();
    final WorkerMessage.Hello hello;
    private final Path dir;
    private final WorkerChannel channel;
    private final CompletableFuture<Integer> serving;
    private final AtomicInteger jobs = new AtomicInteger();

    ShimBridge(Path dir, String backend) throws IOException {
        this.dir = dir;
        Path socket = dir.resolve("w.sock");
        channel = WorkerChannel.bind(socket, ChannelSettings.defaults());
        channel.start(events);
        RuntimeWorker worker = new RuntimeWorker(RuntimeBackends.create(backend).orElseThrow());
        serving = CompletableFuture.supplyAsync(() -> worker.serve(socket, HEARTBEAT, FrameCodec.DEFAULT_MAX_FRAME_BYTES));
        hello = events.await(WorkerMessage.Hello.class, WAIT);
    }

    /** The answer (a Result or an Error) to one run of {@code type} against a config of {@code backend}. */
    WorkerMessage run(String type, ObjectNode input, String backend, String modelRef, ObjectNode params) {
        return answer(start(type, input, backend, modelRef, params));
    }

    /** Sends one run and returns its job id without waiting for the answer. */
    String start(String type, ObjectNode input, String backend, String modelRef, ObjectNode params) {
        String jobId = "j" + jobs.incrementAndGet();
        BridgeMessage.RunConfig config = new BridgeMessage.RunConfig("cfg-" + backend, 1, params, backend, modelRef);
        send(new BridgeMessage.Run(jobId, type, input, config, 1, newScratchDir(jobId).toString(), System.currentTimeMillis() + WAIT.toMillis()));
        return jobId;
    }

    /** The answer (a Result or an Error) to the run {@code jobId}. */
    WorkerMessage answer(String jobId) {
        return events.await(WorkerMessage.class, m -> jobId.equals(m.jobId())
                && (m instanceof WorkerMessage.Result || m instanceof WorkerMessage.Error), WAIT);
    }

    void cancel(String jobId) {
        send(new BridgeMessage.Cancel(jobId));
    }

    private void send(BridgeMessage message) {
        try {
            if (!channel.send(message)) {
                throw new IllegalStateException("channel not connected");
            }
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
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

    /** Progress frames the worker sent for {@code jobId}. */
    List<WorkerMessage.Progress> progress(String jobId) {
        return events.all(WorkerMessage.Progress.class).stream().filter(p -> p.jobId().equals(jobId)).toList();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) FrameCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        channel.close();
        if (serving.get(WAIT.toMillis(), TimeUnit.MILLISECONDS) != WorkerBase.EXIT_OK) {
            throw new AssertionError("worker exited abnormally");
        }
    }
}
