package io.spindle.node.dispatch;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.job.JobReply;
import io.spindle.node.testsupport.ExecutionFixture;
import io.spindle.node.worker.WorkerErrors;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The execution path end to end with real Python worker processes (the SDK's built-in cpu.* workers and a few
 * misbehaving scripts): queue → dispatcher → lease → worker → artifacts → JobEntity, on a one-node cluster
 * with the in-memory queue, journal, config registry, artifact catalog and artifact store.
 */
class DispatcherTest {
    private static final InMemoryJobQueue queue = new InMemoryJobQueue();
    private static ExecutionFixture fx;
    private final List<ActorRef<Dispatcher.Command>> dispatchers = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        fx = ExecutionFixture.start("DispatcherTest", queue);
    }

    @AfterAll
    static void stopNode() {
        fx.close();
    }

    @AfterEach
    void stopDispatchers() {
        dispatchers.forEach(fx::stop);
    }

    private void dispatch(String configId, int concurrency, WorkerLaunch command) {
        dispatchers.add(fx.dispatcher(configId, concurrency, command));
    }

    @Test
    void anEchoJobSucceedsWithItsArtifactStoredAndRecordedWithLineage() throws Exception {
        dispatch("py-echo", 1, fx.python());
        String id = fx.submit(spec("cpu.echo", "py-echo", "{\"text\":\"hello\",\"n\":3}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        assertEquals(Json.mapper().readTree("{\"text\":\"hello\",\"n\":3}"), done.outputs());
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class, JobEvent.Started.class, JobEvent.Succeeded.class),
                fx.eventTypes(id));
        assertEquals(1, done.artifactIds().size());
        Artifact artifact = fx.artifact(done.artifactIds().get(0));
        byte[] bytes = fx.bytes(artifact);
        assertEquals(Json.mapper().readTree("{\"text\":\"hello\",\"n\":3}"), Json.mapper().readTree(bytes));
        assertEquals(bytes.length, artifact.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), artifact.sha256());
        assertEquals(id, artifact.jobId());
        assertEquals(1, artifact.attempt());
        assertEquals("py-echo", artifact.configId());
        assertEquals(ExecutionFixture.CONFIG_VERSION, artifact.configVersion());
        assertEquals("py-echo-w1", artifact.worker());
        assertEquals(ExecutionFixture.NODE, artifact.node());
        assertEquals("json", artifact.kind());
        assertEquals("application/json", artifact.mime());
        // This attempt's own dir: the scratch root is shared with the class's other tests, whose stopped attempts
        // delete theirs asynchronously.
        ExecutionFixture.poll(() -> fx.scratchDirLeft(id, 1), left -> !left, "the scratch dir to be deleted");
    }

    @Test
    void aRunCarriesTheParamsOfTheJobsConfigVersionFromTheRegistry() throws Exception {
        ObjectNode params = (ObjectNode) Json.mapper().readTree("{\"temperature\":0.5,\"model\":\"tiny\"}");
        fx.configs.createConfig(new ModelConfig("py-params", "params", 1, List.of("cpu.*"), "python", "none",
                params, null, true, Instant.now())).toCompletableFuture().join();
        dispatch("py-params", 1, fx.pythonScript("params_worker.py", TestWorkers.SDK_WORKER));

        String id = fx.submit(spec("cpu.params", "py-params", "{}"));
        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        assertEquals(params, done.outputs().get("params"));
        assertEquals("py-params", done.outputs().get("config_id").asText());
        assertEquals(1, done.outputs().get("config_version").asInt());
    }

    @Test
    void aTransientFailureIsRetriedAndThenSucceeds() {
        dispatch("py-flaky", 1, fx.python());
        String id = fx.submit(spec("cpu.fail", "py-flaky", "{\"fail_attempts\":1,\"transient\":true,\"code\":\"flaky\"}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        ExecutionFixture.assertAttempt(2, done);
        JobEvent.RetryScheduled retry = retries(id).get(0);
        assertEquals("flaky", retry.error().code());
        assertTrue(retry.error().isTransient());
    }

    @Test
    void aPermanentFailureFailsTheJob() {
        dispatch("py-broken", 1, fx.python());
        String id = fx.submit(spec("cpu.fail", "py-broken", "{\"transient\":false,\"code\":\"bad_input\",\"message\":\"no\"}"));

        Job failed = fx.awaitStatus(id, JobStatus.FAILED);

        ExecutionFixture.assertAttempt(1, failed);
        assertEquals("bad_input", failed.lastError().code());
        assertEquals("no", failed.lastError().message());
        assertFalse(failed.lastError().isTransient());
    }

    @Test
    void aJobThatKeepsFailingTransientlyIsDeadLetteredWhenItsAttemptsAreUsedUp() {
        dispatch("py-doomed", 1, fx.python());
        String id = fx.submit(spec("cpu.fail", "py-doomed", "{\"transient\":true}").withMaxAttempts(2));

        Job dead = fx.awaitStatus(id, JobStatus.DEAD_LETTERED);

        ExecutionFixture.assertAttempt(2, dead);
        assertEquals("cpu_fail", dead.lastError().code());
        assertEquals(1, retries(id).size());
    }

    @Test
    void aCrashingWorkerIsRestartedAndALaterAttemptSucceeds() {
        dispatch("py-crash", 1, fx.python());
        String id = fx.submit(spec("cpu.crash", "py-crash", "{\"crash_attempts\":1}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        ExecutionFixture.assertAttempt(2, done);
        assertEquals(WorkerErrors.WORKER_CRASHED, retries(id).get(0).error().code());
        assertTrue(fx.restarts("py-crash") >= 1, "restarts are counted");
        // The restarted worker serves the next job like any other.
        String next = fx.submit(spec("cpu.echo", "py-crash", "{}"));
        ExecutionFixture.assertAttempt(1, fx.awaitStatus(next, JobStatus.SUCCEEDED));
    }

    @Test
    void canceledWhileRunningTheWorkerSeesTheCancelAndTheJobEndsCanceled() {
        dispatch("py-cancel", 1, fx.python());
        String id = fx.submit(spec("cpu.sleep", "py-cancel", "{\"duration_ms\":20000}"));
        fx.awaitStatus(id, JobStatus.RUNNING);

        assertInstanceOf(JobReply.Accepted.class, fx.cancel(id));
        // The entity's own cancel grace is a minute and the worker's kill grace ten seconds: ending this soon
        // means the worker answered the cancel frame itself.
        Job canceled = fx.awaitStatus(id, JobStatus.CANCELED, Duration.ofSeconds(5));

        ExecutionFixture.assertAttempt(1, canceled);
        List<Class<?>> types = fx.eventTypes(id);
        assertEquals(JobEvent.Canceled.class, types.get(types.size() - 1));
        assertTrue(types.contains(JobEvent.CancelRequested.class));
        assertEquals(0, fx.restarts("py-cancel"), "the worker was not killed");
    }

    @Test
    void aHungJobIsKilledAtItsDeadlineAndRetriedUntilItsAttemptsAreUsedUp() {
        dispatch("py-hang", 1, fx.python());
        String id = fx.submit(spec("cpu.hang", "py-hang", "{}").withTimeoutSeconds(1).withMaxAttempts(2));

        Job dead = fx.awaitStatus(id, JobStatus.DEAD_LETTERED);

        ExecutionFixture.assertAttempt(2, dead);
        assertEquals(WorkerErrors.DEADLINE_EXCEEDED, dead.lastError().code());
        assertEquals(WorkerErrors.DEADLINE_EXCEEDED, retries(id).get(0).error().code());
        assertTrue(fx.restarts("py-hang") >= 2, "the hung process was killed and replaced each time");
    }

    @Test
    void aSilentWorkerIsKilledAsUnresponsive() {
        var quick = fx.host.withSettings(fx.host.settings().withUnresponsiveAfter(Duration.ofMillis(700)));
        dispatchers.add(fx.dispatcher("py-silent", 1, fx.python(), quick));
        String id = fx.submit(spec("cpu.hang", "py-silent", "{}").withMaxAttempts(1));

        Job dead = fx.awaitStatus(id, JobStatus.DEAD_LETTERED);

        assertEquals(WorkerErrors.WORKER_UNRESPONSIVE, dead.lastError().code());
    }

    @Test
    void withoutPrefetchNeverMoreJobsAreLeasedOrTakenThanThereAreWorkers() {
        dispatchers.add(fx.dispatcher("py-busy", 2, fx.python(), fx.host.withSettings(fx.host.settings().withPrefetch(0))));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(fx.submit(spec("cpu.sleep", "py-busy", "{\"duration_ms\":300}")));
        }
        AtomicInteger mostPending = new AtomicInteger();

        ExecutionFixture.poll(() -> {
            mostPending.accumulateAndGet(queue.pendingCount("py-busy"), Math::max);
            return ids.stream().map(fx::get).toList();
        }, jobs -> jobs.stream().allMatch(j -> j.status() == JobStatus.SUCCEEDED), "all jobs to succeed");

        int mostHeld = mostAtOnce(ids, false);
        assertTrue(mostHeld <= 2, "at most 2 leases held at once, saw " + mostHeld);
        assertEquals(2, mostHeld, "both workers were used");
        assertTrue(mostPending.get() <= 2, "at most 2 queue entries taken and not acknowledged at once, saw " + mostPending.get());
        ExecutionFixture.poll(() -> queue.pendingCount("py-busy"), n -> n == 0, "every entry to be acknowledged");
    }

    @Test
    void withPrefetchAWorkerHoldsOneMoreLeaseAtMostAndNoJobWaitsLeasedButNotStarted() {
        dispatch("py-prefetch", 2, fx.python()); // spindle.workers.prefetch = 1, as shipped
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(fx.submit(spec("cpu.echo", "py-prefetch", "{\"n\":" + i + "}"))); // each stores an artifact
        }
        AtomicInteger mostPending = new AtomicInteger();

        ExecutionFixture.poll(() -> {
            mostPending.accumulateAndGet(queue.pendingCount("py-prefetch"), Math::max);
            return ids.stream().map(fx::get).toList();
        }, jobs -> jobs.stream().allMatch(j -> j.status() == JobStatus.SUCCEEDED), "all jobs to succeed");

        int mostHeld = mostAtOnce(ids, false);
        int mostUnstarted = mostAtOnce(ids, true);
        assertTrue(mostHeld <= 4, "at most 2 workers x (1 running + 1 reporting) leases held at once, saw " + mostHeld);
        assertTrue(mostUnstarted <= 2, "at most one job per worker leased and not yet started, saw " + mostUnstarted);
        // An entry stays pending until its ack rides on the next take (or ack-flush-delay passes): at most one per lease.
        assertTrue(mostPending.get() <= 4, "at most 4 queue entries taken and not acknowledged at once, saw " + mostPending.get());
        ExecutionFixture.poll(() -> queue.pendingCount("py-prefetch"), n -> n == 0, "every entry to be acknowledged");
    }

    /**
     * From the journal: the most leases held at one moment, a lease lasting from Leased until the attempt's end (or,
     * {@code untilStarted}, until it started).
     */
    private int mostAtOnce(List<String> ids, boolean untilStarted) {
        List<long[]> changes = new ArrayList<>(); // {time in micros, +1 or -1}
        for (String id : ids) {
            boolean started = false;
            for (JobEvent e : fx.events(id)) {
                long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, e.at());
                if (e instanceof JobEvent.Leased) {
                    changes.add(new long[] {micros, 1});
                    started = false;
                } else if (e instanceof JobEvent.Started) {
                    started = true;
                    if (untilStarted) {
                        changes.add(new long[] {micros, -1});
                    }
                } else if (!(e instanceof JobEvent.Submitted || e instanceof JobEvent.CancelRequested) && !(untilStarted && started)) {
                    changes.add(new long[] {micros, -1});
                }
            }
        }
        // At equal times an end comes first: a worker freed by an acknowledged end may be leased at that instant.
        changes.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int held = 0;
        int most = 0;
        for (long[] c : changes) {
            held += (int) c[1];
            most = Math.max(most, held);
        }
        return most;
    }

    @Test
    void higherPriorityJobsAreLeasedFirst() {
        dispatch("py-prio", 1, fx.python());
        String blocker = fx.submit(spec("cpu.sleep", "py-prio", "{\"duration_ms\":2000}"));
        fx.awaitStatus(blocker, JobStatus.RUNNING);
        List<String> low = new ArrayList<>();
        List<String> high = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            low.add(fx.submit(spec("cpu.echo", "py-prio", "{}").withPriority(1)));
        }
        for (int i = 0; i < 3; i++) {
            high.add(fx.submit(spec("cpu.echo", "py-prio", "{}").withPriority(9)));
        }

        assertEquals(JobStatus.RUNNING, fx.get(blocker).status(), "the only worker was busy while every job was queued");

        List<Job> highDone = high.stream().map(id -> fx.awaitStatus(id, JobStatus.SUCCEEDED)).toList();
        List<Job> lowDone = low.stream().map(id -> fx.awaitStatus(id, JobStatus.SUCCEEDED)).toList();

        Instant lastHigh = highDone.stream().map(Job::leasedAt).max(Instant::compareTo).orElseThrow();
        Instant firstLow = lowDone.stream().map(Job::leasedAt).min(Instant::compareTo).orElseThrow();
        assertTrue(lastHigh.isBefore(firstLow), "every high-priority job was leased before any low one: " + lastHigh + " vs " + firstLow);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "op", "oversize"})
    void aWorkerBreakingTheProtocolIsRestartedAndTheJobRetried(String garbage) {
        String configId = "py-garbage-" + garbage;
        dispatch(configId, 1, fx.pythonScript("garbage_worker.py", TestWorkers.GARBAGE_WORKER));
        String id = fx.submit(spec("cpu.echo", configId, "{\"garbage\":\"" + garbage + "\"}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        ExecutionFixture.assertAttempt(2, done);
        assertEquals(2, done.outputs().get("attempt").asInt());
        assertEquals(WorkerErrors.WORKER_PROTOCOL_ERROR, retries(id).get(0).error().code());
        assertTrue(fx.restarts(configId) >= 1);
    }

    @Test
    void anArtifactOutsideTheScratchDirFailsTheJobForGood() {
        dispatch("py-escape", 1, fx.pythonScript("escape_worker.py", TestWorkers.SDK_WORKER));
        String id = fx.submit(spec("cpu.escape", "py-escape", "{}"));

        Job failed = fx.awaitStatus(id, JobStatus.FAILED);

        assertEquals(WorkerErrors.ARTIFACT_REJECTED, failed.lastError().code());
        assertTrue(failed.lastError().message().contains("escape.txt"), failed.lastError().message());
        assertTrue(fx.catalog.artifactsOfJob(id).toCompletableFuture().join().isEmpty(), "nothing was recorded");
    }

    @Test
    void workerStatesAndQueueDepthAreGauged() {
        dispatch("py-gauge", 2, fx.python());
        ExecutionFixture.poll(() -> fx.gauge("spindle_workers", "config", "py-gauge", "state", "idle"), v -> v == 2.0,
                "both workers to be idle");
        String id = fx.submit(spec("cpu.sleep", "py-gauge", "{\"duration_ms\":1500}"));
        fx.awaitStatus(id, JobStatus.RUNNING);
        // The job is running from its lease (lease and start are one write); its worker turns busy when the Run arrives.
        ExecutionFixture.poll(() -> fx.gauge("spindle_workers", "config", "py-gauge", "state", "busy"), v -> v == 1.0,
                "one worker to be busy");

        assertEquals(1.0, fx.gauge("spindle_workers", "config", "py-gauge", "state", "idle"));
        assertEquals(0.0, fx.gauge("spindle_queue_depth", "config", "py-gauge"));
    }

    private List<JobEvent.RetryScheduled> retries(String id) {
        return fx.events(id).stream().filter(JobEvent.RetryScheduled.class::isInstance).map(JobEvent.RetryScheduled.class::cast).toList();
    }
}
