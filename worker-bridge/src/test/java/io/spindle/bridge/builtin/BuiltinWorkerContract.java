package io.spindle.bridge.builtin;

import static io.spindle.bridge.builtin.WorkerHarness.HEARTBEAT_MS;
import static io.spindle.bridge.builtin.WorkerHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.channel.ChannelClosed;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every built-in worker process must do over the real socket, whichever SDK it is written with.
 * Subclasses say how to start the process.
 */
abstract class BuiltinWorkerContract {
    /** Long enough that a test only ends early because the job was canceled. */
    private static final long LONG_SLEEP_MS = 60_000;
    /** Silence after which a worker counts as hung: many heartbeat intervals. */
    private static final Duration HUNG_AFTER = Duration.ofMillis(10 * HEARTBEAT_MS);

    @TempDir
    Path dir;

    WorkerHarness worker;

    /** The command that starts the worker process (socket path comes in the environment). */
    abstract List<String> command(Path dir) throws Exception;

    abstract Map<String, String> environment(Path dir);

    abstract String expectedName();

    @BeforeEach
    void startWorker() throws Exception {
        worker = WorkerHarness.start(dir, command(dir), environment(dir));
        worker.hello();
    }

    @AfterEach
    void stopWorker() throws Exception {
        worker.close();
    }

    @Test
    void helloAnnouncesTheBuiltinJobTypes() {
        WorkerMessage.Hello hello = worker.hello();
        assertEquals(expectedName(), hello.name());
        assertEquals(Set.copyOf(BuiltinWorkers.JOB_TYPES), Set.copyOf(hello.jobTypes()));
        assertEquals(worker.process.pid(), hello.pid());
        assertFalse(hello.version().isBlank());
    }

    @Test
    void echoReturnsItsInputAndWritesItAsAJsonArtifact() throws Exception {
        var input = json("{\"prompt\":\"héllo ✓\",\"n\":3,\"nested\":{\"a\":[1,2.5,null]}}");
        String job = worker.run(BuiltinWorkers.ECHO, input);
        WorkerMessage.Result result = worker.await(job, WorkerMessage.Result.class);

        assertEquals(input, result.outputs());
        assertEquals(List.of(new ArtifactRef(BuiltinWorkers.ECHO_ARTIFACT, "json", "application/json")), result.artifacts());
        Path file = result.artifacts().get(0).resolveIn(worker.scratch(job));
        JsonNode written = FrameCodec.mapper().readTree(Files.readAllBytes(file));
        assertEquals(input, written);

        String second = worker.run(BuiltinWorkers.ECHO, json("{\"again\":true}"));
        assertTrue(worker.await(second, WorkerMessage.Result.class).outputs().get("again").asBoolean(),
                "one process serves job after job");
    }

    @Test
    void noopAnswersWithEmptyOutputsAndNoArtifact() {
        String job = worker.run(BuiltinWorkers.NOOP, json("{\"ignored\":[1,2,3]}"));
        WorkerMessage.Result result = worker.await(job, WorkerMessage.Result.class);

        assertEquals(json("{}"), result.outputs());
        assertEquals(List.of(), result.artifacts());
        try (var written = Files.list(worker.scratch(job))) {
            assertEquals(0, written.count(), "nothing is written to the scratch dir");
        } catch (java.nio.file.NoSuchFileException noScratchDir) {
            // fine too: nothing was written
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sleepReportsRisingProgressAndHeartbeats() {
        String job = worker.run(BuiltinWorkers.SLEEP, json("{\"duration_ms\":500}"));
        WorkerMessage.Result result = worker.await(job, WorkerMessage.Result.class);
        assertEquals(500, result.outputs().get("slept_ms").asLong());

        List<Double> percents = worker.events.all(WorkerMessage.Progress.class).stream()
                .filter(p -> job.equals(p.jobId())).map(WorkerMessage.Progress::percent).toList();
        assertEquals(BuiltinWorkers.SLEEP_PROGRESS_STEPS, percents.size(), "progress frames: " + percents);
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) > percents.get(i - 1), "progress rises: " + percents);
        }
        assertEquals(100.0, percents.get(percents.size() - 1));
        assertTrue(worker.events.all(WorkerMessage.Heartbeat.class).stream().anyMatch(h -> job.equals(h.jobId())),
                "heartbeats while the job runs");
    }

    @Test
    void cancelStopsASleepPromptlyWithTheCanceledAnswer() {
        String job = worker.run(BuiltinWorkers.SLEEP, json("{\"duration_ms\":" + LONG_SLEEP_MS + "}"));
        worker.await(job, WorkerMessage.Heartbeat.class);
        long start = System.nanoTime();
        worker.send(new BridgeMessage.Cancel(job));

        WorkerMessage.Error error = worker.await(job, WorkerMessage.Error.class);
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(error.isCanceled(), error.toString());
        assertFalse(error.isTransient());
        assertTrue(tookMs < 5_000, "cancel took " + tookMs + " ms");
        assertTrue(worker.events.all(WorkerMessage.Result.class).isEmpty());

        String next = worker.run(BuiltinWorkers.ECHO, json("{}"));
        worker.await(next, WorkerMessage.Result.class);
    }

    @Test
    void failAnswersWithTheRequestedTransientOrPermanentError() {
        String transientJob = worker.run(BuiltinWorkers.FAIL,
                json("{\"transient\":true,\"code\":\"gpu_oom\",\"message\":\"out of memory\"}"));
        WorkerMessage.Error transientError = worker.await(transientJob, WorkerMessage.Error.class);
        assertEquals(new WorkerMessage.Error(transientJob, "out of memory", "gpu_oom", true), transientError);

        String permanentJob = worker.run(BuiltinWorkers.FAIL, json("{\"code\":\"bad_prompt\",\"message\":\"no\"}"));
        WorkerMessage.Error permanent = worker.await(permanentJob, WorkerMessage.Error.class);
        assertEquals("bad_prompt", permanent.code());
        assertFalse(permanent.isTransient());

        String failsFirst = worker.run(BuiltinWorkers.FAIL, json("{\"fail_attempts\":1,\"transient\":true}"), 1);
        assertTrue(worker.await(failsFirst, WorkerMessage.Error.class).isTransient());
        String succeedsLater = worker.run(BuiltinWorkers.FAIL, json("{\"fail_attempts\":1,\"transient\":true}"), 2);
        assertEquals(2, worker.await(succeedsLater, WorkerMessage.Result.class).outputs().get("attempt").asInt());
    }

    @Test
    void unknownJobTypeIsAPermanentError() {
        String job = worker.run("cpu.nope", json("{}"));
        WorkerMessage.Error error = worker.await(job, WorkerMessage.Error.class);
        assertEquals(WorkerMessage.Error.UNSUPPORTED_JOB_TYPE, error.code());
        assertFalse(error.isTransient());
    }

    @Test
    void aSecondRunWhileBusyIsRefusedAsTransient() {
        String busy = worker.run(BuiltinWorkers.SLEEP, json("{\"duration_ms\":" + LONG_SLEEP_MS + "}"));
        worker.await(busy, WorkerMessage.Heartbeat.class);
        String refused = worker.run(BuiltinWorkers.ECHO, json("{}"));
        WorkerMessage.Error error = worker.await(refused, WorkerMessage.Error.class);
        assertEquals(WorkerMessage.Error.WORKER_BUSY, error.code());
        assertTrue(error.isTransient());
        worker.send(new BridgeMessage.Cancel(busy));
        assertTrue(worker.await(busy, WorkerMessage.Error.class).isCanceled());
    }

    @Test
    void aRunWhoseScratchDirIsGoneIsRefusedAsTransientAndTheDirIsNotMade() {
        Path gone = worker.scratch("gone");
        worker.send(new BridgeMessage.Run("gone", BuiltinWorkers.ECHO, json("{\"text\":\"late\"}"),
                new BridgeMessage.RunConfig("cfg-test", 1, null), 1, gone.toString(),
                System.currentTimeMillis() + 60_000));
        WorkerMessage.Error error = worker.await("gone", WorkerMessage.Error.class);
        assertEquals(WorkerMessage.Error.SCRATCH_DIR_MISSING, error.code());
        assertTrue(error.isTransient());
        assertFalse(Files.exists(gone), "the worker must not create the node's scratch dir");
        String next = worker.run(BuiltinWorkers.ECHO, json("{\"text\":\"next\"}"));
        worker.await(next, WorkerMessage.Result.class);
    }

    @Test
    void crashShowsAsTheConnectionClosingAndTheProcessDying() throws Exception {
        String survives = worker.run(BuiltinWorkers.CRASH, json("{\"crash_attempts\":1}"), 2);
        assertEquals(2, worker.await(survives, WorkerMessage.Result.class).outputs().get("attempt").asInt());

        String job = worker.run(BuiltinWorkers.CRASH, json("{\"crash_attempts\":1}"), 1);
        ChannelClosed closed = worker.events.awaitClosed(WorkerHarness.WAIT);
        assertEquals(ChannelClosed.Reason.PEER_CLOSED, closed.reason());
        assertEquals(BuiltinWorkers.CRASH_EXIT_CODE, worker.awaitExit());
        assertTrue(worker.events.all(WorkerMessage.class).stream()
                .noneMatch(m -> job.equals(m.jobId()) && (m instanceof WorkerMessage.Result || m instanceof WorkerMessage.Error)));
    }

    @Test
    void hangGoesSilentIgnoresCancelAndExitsWhenTheBridgeLetsGo() throws Exception {
        String job = worker.run(BuiltinWorkers.HANG, json("{}"));
        awaitSilence();
        worker.send(new BridgeMessage.Cancel(job));
        awaitSilence();
        assertTrue(worker.process.isAlive());
        assertTrue(worker.events.all(WorkerMessage.class).stream()
                .noneMatch(m -> m instanceof WorkerMessage.Result || m instanceof WorkerMessage.Error), "never answers");

        worker.channel.close();
        assertEquals(0, worker.awaitExit(), "a hung worker still leaves once its socket is gone");
    }

    @Test
    void shutdownEndsTheProcess() throws Exception {
        worker.send(new BridgeMessage.Shutdown());
        assertEquals(ChannelClosed.Reason.PEER_CLOSED, worker.events.awaitClosed(WorkerHarness.WAIT).reason());
        assertEquals(0, worker.awaitExit());
    }

    /** Waits until nothing has arrived for {@link #HUNG_AFTER}; fails if the worker keeps talking. */
    private void awaitSilence() throws InterruptedException {
        long deadline = System.nanoTime() + WorkerHarness.WAIT.toNanos();
        while (worker.channel.silentFor().compareTo(HUNG_AFTER) < 0) {
            assertTrue(System.nanoTime() < deadline, "worker never went silent: " + worker.events.events());
            Thread.sleep(HEARTBEAT_MS);
        }
    }
}
