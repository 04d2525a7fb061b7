package io.spindle.node.worker;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.node.artifact.InMemoryArtifactStore;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.job.JobEntity;
import io.spindle.node.testsupport.ExecutionFixture;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The {@link Attempt} child of a {@link WorkerProcess} running real Python SDK workers against a real JobEntity (a
 * one-node cluster on the in-memory journal), the test playing the dispatcher ({@link WorkerUnderTest}).
 */
class AttemptTest {
    /** Heartbeats through any job it is given and ignores cancel frames. */
    private static final String DEAF_WORKER = """
            import json, os, socket, struct, sys, threading, time

            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(os.environ["SPINDLE_WORKER_SOCKET"])
            frames = sock.makefile("rb")
            lock = threading.Lock()

            def send(message):
                payload = json.dumps(message).encode("utf-8")
                with lock:
                    sock.sendall(struct.pack(">I", len(payload)) + payload)

            def beat(job_id):
                while True:
                    send({"op": "heartbeat", "job_id": job_id})
                    time.sleep(0.1)

            send({"op": "hello", "name": "deaf", "job_types": ["cpu.deaf"], "version": "0", "pid": os.getpid()})
            while True:
                header = frames.read(4)
                if len(header) < 4:
                    sys.exit(0)
                (length,) = struct.unpack(">I", header)
                message = json.loads(frames.read(length))
                if message["op"] == "run":
                    threading.Thread(target=beat, args=(message["job_id"],), daemon=True).start()
            """;
    private static ExecutionFixture fx;
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();
    private final Logger reportLogger = (Logger) LoggerFactory.getLogger(AttemptReport.class);
    private WorkerUnderTest worker;

    @BeforeAll
    static void startNode() {
        // A short ask timeout: a report the entity never answers is sent again within a test.
        fx = ExecutionFixture.start("AttemptTest", new InMemoryJobQueue(), kit -> new InMemoryArtifactStore(kit.system()),
                ConfigFactory.parseString("spindle.jobs.ask-timeout = 1s"));
    }

    @AfterAll
    static void stopNode() {
        fx.close();
    }

    @AfterEach
    void stopWorker() {
        reportLogger.detachAppender(reports);
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void aWorkerThatCrashesMidAttemptFailsItTransientAndIsStartedAgain() {
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.crash", w.configId, "{\"crash_attempts\":1}"));

        w.run(id);

        Job retried = fx.awaitStatus(id, JobStatus.QUEUED);
        assertEquals(WorkerErrors.WORKER_CRASHED, retried.lastError().code());
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class, JobEvent.Started.class, JobEvent.RetryScheduled.class),
                fx.eventTypes(id));
        w.expectReady(1); // restarted, and its report acknowledged
        assertTrue(fx.restarts(w.configId) >= 1);
        w.run(id); // the next attempt succeeds on the new process
        ExecutionFixture.assertAttempt(2, fx.awaitStatus(id, JobStatus.SUCCEEDED));
    }

    @Test
    void aWorkerPastItsDeadlineIsKilledAndTheAttemptFailsAsDeadlineExceeded() {
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.hang", w.configId, "{}").withTimeoutSeconds(1).withMaxAttempts(1));

        w.run(id);

        Job dead = fx.awaitStatus(id, JobStatus.DEAD_LETTERED);
        assertEquals(WorkerErrors.DEADLINE_EXCEEDED, dead.lastError().code());
        w.expectReady(1);
        assertTrue(fx.restarts(w.configId) >= 1, "the hung process was killed and replaced");
    }

    @Test
    void aCancelReachesTheRunningWorkerWhichStopsTheAttempt() {
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.sleep", w.configId, "{\"duration_ms\":20000}"));
        w.run(id);
        fx.awaitStatus(id, JobStatus.RUNNING);

        fx.cancel(id);

        fx.awaitStatus(id, JobStatus.CANCELED, Duration.ofSeconds(5));
        w.expectReady(1);
        assertEquals(0, fx.restarts(w.configId), "the worker answered the cancel itself");
    }

    @Test
    void aWorkerThatIgnoresACancelIsKilledAfterTheCancelGrace() {
        WorkerUnderTest w = worker(fx.host.withSettings(fx.host.settings().withCancelGrace(Duration.ofMillis(500))),
                fx.pythonScript("deaf_worker.py", DEAF_WORKER));
        String id = fx.submit(spec("cpu.deaf", w.configId, "{}"));
        w.run(id);
        fx.awaitStatus(id, JobStatus.RUNNING);

        fx.cancel(id);

        // The entity's own cancel grace is a minute: ending this soon means the worker side gave up on it.
        fx.awaitStatus(id, JobStatus.CANCELED, Duration.ofSeconds(5));
        w.expectReady(1);
        assertTrue(fx.restarts(w.configId) >= 1, "the deaf worker was killed");
    }

    @Test
    void theEndIsReportedAgainWhenTheJournalFailsToStoreIt() {
        reports.start();
        reportLogger.addAppender(reports);
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.echo", w.configId, "{\"text\":\"twice\"}"));
        String persistenceId = JobEntity.persistenceId(id).id();
        PersistenceTestKit.create(fx.testKit.system()).failNextNOpsCond((pid, op) -> pid.equals(persistenceId) && writesSucceeded(op), 1);

        w.run(id);

        // Not polling the job meanwhile: an ask that reaches the entity as it fails is lost with it.
        ExecutionFixture.poll(() -> logged("did not acknowledge the end of attempt 1", id), sentAgain -> sentAgain,
                "the Complete to be sent again");
        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);
        assertEquals("twice", done.outputs().get("text").asText());
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class, JobEvent.Started.class, JobEvent.Succeeded.class),
                fx.eventTypes(id));
        w.expectReady(1);
        ExecutionFixture.poll(fx::scratchDirsLeft, n -> n == 0, "the scratch dir to be deleted");
    }

    @Test
    void aWorkerThatDoesNotHoldTheLeaseReportsNothing() {
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.sleep", w.configId, "{\"duration_ms\":20000}"));
        Job leasedElsewhere = fx.ask(id, r -> new JobEntity.AcquireLease(ExecutionFixture.NODE, "someone-else", Duration.ofSeconds(20), r)).orThrow();

        w.worker.tell(new WorkerProcess.Run(leasedElsewhere));

        w.expectReady(1); // the Start was refused, the worker stopped (or never started) the job
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class), fx.eventTypes(id));
        assertEquals("someone-else", fx.get(id).lease().worker());
        assertEquals(0, fx.restarts(w.configId));
    }

    @Test
    void aStoppedWorkerGivesItsLeaseBackSoTheJobRunsAgainAtOnceWithoutSpendingAnAttempt() {
        WorkerUnderTest w = worker(fx.host);
        String id = fx.submit(spec("cpu.sleep", w.configId, "{\"duration_ms\":20000}"));
        w.run(id);
        fx.awaitStatus(id, JobStatus.RUNNING);

        w.stop();
        worker = null;

        Job released = fx.awaitStatus(id, JobStatus.QUEUED);
        assertEquals(1, released.attempt(), "no attempt spent");
        assertEquals(null, released.retryAt(), "due at once");
        assertEquals(null, released.lastError(), "not a failure");
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class, JobEvent.Started.class, JobEvent.LeaseReleased.class),
                fx.eventTypes(id));
        ExecutionFixture.poll(fx::scratchDirsLeft, n -> n == 0, "the scratch dir to be deleted");
    }

    private WorkerUnderTest worker(WorkerHost host) {
        return worker(host, fx.python());
    }

    private WorkerUnderTest worker(WorkerHost host, WorkerLaunch command) {
        WorkerUnderTest w = WorkerUnderTest.start(fx, host, command);
        worker = w;
        return w;
    }

    /** Whether the report log has a line with all of {@code parts} (the appender appends under its own lock). */
    private boolean logged(String... parts) {
        synchronized (reports) {
            return reports.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
        }
    }

    private static boolean writesSucceeded(Object op) {
        return op instanceof WriteEvents w && w.getBatch().stream()
                .map(e -> e instanceof Tagged t ? t.payload() : e)
                .anyMatch(JobEvent.Succeeded.class::isInstance);
    }
}
