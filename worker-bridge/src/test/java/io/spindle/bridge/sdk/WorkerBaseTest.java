package io.spindle.bridge.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.channel.ChannelSettings;
import io.spindle.bridge.channel.RecordingListener;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java SDK in this JVM against a real bridge channel: the behaviours the built-ins do not reach. */
class WorkerBaseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private WorkerChannel channel;
    private final RecordingListener events = new RecordingListener();
    private CompletableFuture<Integer> serving;

    /** A worker whose jobs do what their input says, to reach each SDK path. */
    static final class ScriptedWorker extends WorkerBase {
        @Override
        protected String name() {
            return "scripted";
        }

        @Override
        protected List<String> jobTypes() {
            return List.of("cpu.*");
        }

        @Override
        protected ObjectNode execute(JobRun job, WorkerContext ctx) throws Exception {
            String action = ctx.input().path("action").asText();
            if (action.equals("throw")) {
                throw new IllegalStateException("bug in " + ctx.params().path("model").asText());
            }
            if (action.equals("escape")) {
                ctx.artifact(Path.of("/etc/passwd"), "text", "text/plain");
            }
            if (action.equals("chatter")) {
                // Floods the socket from the job thread until canceled: a cancel's interrupt must not hit a write.
                while (!ctx.isCancelled()) {
                    ctx.progress(1, "still here");
                }
                ctx.checkCancelled();
            }
            if (action.equals("log")) {
                ctx.log("warn", "attempt " + ctx.attempt());
            }
            return FrameCodec.mapper().createObjectNode().put("done", action);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            channel.close();
        }
        if (serving != null) {
            assertEquals(WorkerBase.EXIT_OK, serving.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void startWorker() throws IOException {
        Path socket = dir.resolve("w.sock");
        channel = WorkerChannel.bind(socket, ChannelSettings.defaults());
        channel.start(events);
        serving = CompletableFuture.supplyAsync(
                () -> new ScriptedWorker().serve(socket, HEARTBEAT, FrameCodec.DEFAULT_MAX_FRAME_BYTES));
        events.await(WorkerMessage.Hello.class, WAIT);
    }

    private String run(String jobId, String action) throws IOException {
        ObjectNode input = FrameCodec.mapper().createObjectNode().put("action", action);
        ObjectNode params = FrameCodec.mapper().createObjectNode().put("model", "tiny");
        assertTrue(channel.send(new BridgeMessage.Run(jobId, "cpu.scripted", input,
                new BridgeMessage.RunConfig("cfg", 2, params), 3, PrivateFiles.directory(dir.resolve(jobId)).toString(), 0)));
        return jobId;
    }

    @Test
    void uncaughtExceptionIsATransientWorkerException() throws Exception {
        startWorker();
        WorkerMessage.Error error = events.awaitFor(run("j1", "throw"), WorkerMessage.Error.class, WAIT);
        assertEquals(WorkerMessage.Error.WORKER_EXCEPTION, error.code());
        assertTrue(error.isTransient());
        assertTrue(error.message().contains("bug in tiny"), error.message());
    }

    @Test
    void artifactOutsideTheScratchDirFailsTheJob() throws Exception {
        startWorker();
        WorkerMessage.Error error = events.awaitFor(run("j1", "escape"), WorkerMessage.Error.class, WAIT);
        assertEquals(WorkerMessage.Error.WORKER_EXCEPTION, error.code());
        assertTrue(error.message().contains("not inside the scratch dir"), error.message());
    }

    @Test
    void logLinesCarryTheJob() throws Exception {
        startWorker();
        run("j1", "log");
        events.awaitFor("j1", WorkerMessage.Result.class, WAIT);
        WorkerMessage.Log log = events.awaitFor("j1", WorkerMessage.Log.class, WAIT);
        assertEquals(new WorkerMessage.Log("j1", "warn", "attempt 3"), log);
    }

    @Test
    void cancelDuringAFloodOfFramesKeepsTheConnection() throws Exception {
        startWorker();
        run("j1", "chatter");
        events.awaitFor("j1", WorkerMessage.Progress.class, WAIT);
        channel.send(new BridgeMessage.Cancel("j1"));
        assertTrue(events.awaitFor("j1", WorkerMessage.Error.class, WAIT).isCanceled());
        run("j2", "fine");
        assertEquals("fine", events.awaitFor("j2", WorkerMessage.Result.class, WAIT).outputs().get("done").asText());
        assertTrue(channel.isConnected());
    }

    @Test
    void cancelForAnotherJobIsIgnored() throws Exception {
        startWorker();
        run("j1", "chatter");
        events.awaitFor("j1", WorkerMessage.Progress.class, WAIT);
        channel.send(new BridgeMessage.Cancel("someone-else"));
        channel.send(new BridgeMessage.Cancel("j1"));
        assertTrue(events.awaitFor("j1", WorkerMessage.Error.class, WAIT).isCanceled());
        assertTrue(events.all(WorkerMessage.Error.class).size() == 1);
    }

    @Test
    void garbageFromTheBridgeIsSkipped() throws Exception {
        Path socket = dir.resolve("raw.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            serving = CompletableFuture.supplyAsync(() -> new ScriptedWorker().serve(socket, HEARTBEAT, 1024));
            try (SocketChannel bridge = server.accept()) {
                FrameCodec codec = new FrameCodec(1024);
                io.spindle.bridge.protocol.FrameReader reader = new io.spindle.bridge.protocol.FrameReader(bridge, 1024);
                assertTrue(codec.decodeWorkerMessage(reader.next()) instanceof WorkerMessage.Hello);
                writeRaw(bridge, "not json at all".getBytes(StandardCharsets.UTF_8));
                writeRaw(bridge, "{\"op\":\"reboot_universe\"}".getBytes(StandardCharsets.UTF_8));
                writeRaw(bridge, new byte[2048]); // oversize for this worker
                bridge.write(codec.encode(new BridgeMessage.Run("j1", "cpu.x",
                        FrameCodec.mapper().createObjectNode().put("action", "ok"), null, 1, PrivateFiles.directory(dir.resolve("j1")).toString(), 0)));
                WorkerMessage answer;
                do {
                    answer = codec.decodeWorkerMessage(reader.next());
                } while (answer instanceof WorkerMessage.Heartbeat);
                assertEquals("j1", ((WorkerMessage.Result) answer).jobId());
            }
        }
    }

    @Test
    void missingSocketOrDeadBridgeGiveDistinctExitStatuses() {
        assertEquals(WorkerBase.EXIT_CANNOT_CONNECT,
                new ScriptedWorker().serve(dir.resolve("nobody.sock"), HEARTBEAT, FrameCodec.DEFAULT_MAX_FRAME_BYTES));
        if (System.getenv("SPINDLE_WORKER_SOCKET") == null) {
            assertEquals(WorkerBase.EXIT_BAD_SETTINGS, new ScriptedWorker().serve(new String[0]));
        }
    }

    private static void writeRaw(SocketChannel channel, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }
}
