package io.spindle.node.worker;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.node.artifact.InMemoryArtifactStore;
import io.spindle.node.testsupport.ExecutionFixture;
import io.spindle.node.testsupport.GatedArtifactStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelining: a worker asks for its next job as soon as it answered, while its ended attempt is still being
 * reported, up to {@code spindle.workers.prefetch} such attempts. Reports are held in flight by holding back the
 * artifact uploads of cpu.echo jobs; the test plays the dispatcher ({@link WorkerUnderTest}).
 */
class WorkerProcessPrefetchTest {
    /** Long enough for a worker that would (wrongly) ask for more to have asked. */
    private static final Duration NO_READY = Duration.ofSeconds(1);
    private static GatedArtifactStore store;
    private static ExecutionFixture fx;
    private WorkerUnderTest worker;

    @BeforeAll
    static void startNode() {
        fx = ExecutionFixture.start("WorkerProcessPrefetchTest", new InMemoryJobQueue(),
                kit -> store = new GatedArtifactStore(new InMemoryArtifactStore(kit.system())),
                ConfigFactory.parseString("spindle.workers.prefetch = 1"));
    }

    @AfterAll
    static void stopNode() {
        fx.close();
    }

    @AfterEach
    void stopWorker() {
        store.open();
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void theNextJobIsHandedOverWhileThePreviousReportIsInFlight() {
        worker = WorkerUnderTest.start(fx, fx.host, fx.python());
        store.close();
        String first = fx.submit(spec("cpu.echo", worker.configId, "{\"text\":\"first\"}"));
        String second = fx.submit(spec("cpu.sleep", worker.configId, "{\"duration_ms\":10}"));

        worker.run(first);
        worker.expectReady(1);

        assertEquals(JobStatus.RUNNING, fx.get(first).status(), "the first job's outputs are still being stored");
        worker.run(second);
        fx.awaitStatus(second, JobStatus.SUCCEEDED);
        assertEquals(JobStatus.RUNNING, fx.get(first).status(), "the second job ran while the first was being reported");
        worker.expectReady(2); // the second report is done, the first one is the only one in flight
        store.open();
        fx.awaitStatus(first, JobStatus.SUCCEEDED);
    }

    @Test
    void aWorkerWithMoreEndedAttemptsInFlightThanThePrefetchTakesNoMore() {
        worker = WorkerUnderTest.start(fx, fx.host, fx.python());
        store.close();
        String first = fx.submit(spec("cpu.echo", worker.configId, "{\"text\":\"first\"}"));
        String second = fx.submit(spec("cpu.echo", worker.configId, "{\"text\":\"second\"}"));
        worker.run(first);
        worker.expectReady(1);

        worker.run(second);

        worker.dispatcher.expectNoMessage(NO_READY);
        assertEquals(JobStatus.RUNNING, fx.get(first).status());
        assertEquals(JobStatus.RUNNING, fx.get(second).status());
        store.open();
        worker.expectReady(2);
        fx.awaitStatus(first, JobStatus.SUCCEEDED);
        fx.awaitStatus(second, JobStatus.SUCCEEDED);
        ExecutionFixture.poll(fx::scratchDirsLeft, n -> n == 0, "both scratch dirs to be deleted");
    }

    @Test
    void withoutPrefetchAWorkerWaitsForItsEndToBeAcknowledged() {
        worker = WorkerUnderTest.start(fx, fx.host.withSettings(fx.host.settings().withPrefetch(0)), fx.python());
        store.close();
        String id = fx.submit(spec("cpu.echo", worker.configId, "{\"text\":\"strict\"}"));

        worker.run(id);

        worker.dispatcher.expectNoMessage(NO_READY);
        assertEquals(JobStatus.RUNNING, fx.get(id).status());
        store.open();
        worker.expectReady(1);
        assertEquals(JobStatus.SUCCEEDED, fx.get(id).status(), "acknowledged before the worker asked for more");
    }

    @Test
    void aWorkerThatCrashesWhileAReportIsInFlightComesBackAndAsksForMore() {
        worker = WorkerUnderTest.start(fx, fx.host, fx.python());
        store.close();
        String reported = fx.submit(spec("cpu.echo", worker.configId, "{\"text\":\"slow report\"}"));
        String crashing = fx.submit(spec("cpu.crash", worker.configId, "{\"crash_attempts\":1}"));
        worker.run(reported);
        worker.expectReady(1);

        worker.run(crashing);

        // Restarted with two ended attempts on its books (one reporting, one failing): it asks once one is done.
        fx.awaitStatus(crashing, JobStatus.QUEUED);
        worker.expectReady(2);
        assertEquals(JobStatus.RUNNING, fx.get(reported).status(), "the held-back report is still in flight");
        store.open();
        fx.awaitStatus(reported, JobStatus.SUCCEEDED);
    }
}
