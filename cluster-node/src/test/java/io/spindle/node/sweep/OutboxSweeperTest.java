package io.spindle.node.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.model.store.InMemoryJobViewStore;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import io.spindle.node.job.JobSettings;
import io.spindle.node.testsupport.LoopbackCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox sweeper against real sharded JobEntities (journal in memory) and the in-memory job view store:
 * a job whose ticket vanished from the queue gets a new one; a job that is not waiting gets none.
 */
class OutboxSweeperTest {
    private static final Config CONFIG = LoopbackCluster.config()
            .withFallback(PersistenceTestKitPlugin.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config());
    private static final ActorTestKit testKit = ActorTestKit.create("OutboxSweeperTest", CONFIG);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MIN_AGE = Duration.ofMillis(300);
    private static final SweepSettings SETTINGS = new SweepSettings(Duration.ofMillis(100), Duration.ofMillis(100), MIN_AGE, Duration.ofMinutes(1),
            1000, 2, 4, "");
    private static final InMemoryJobQueue queue = new InMemoryJobQueue();
    private static final InMemoryJobViewStore views = new InMemoryJobViewStore();

    @BeforeAll
    static void startNode() {
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        JobEntity.init(testKit.system(), queue, JobSettings.create(testKit.system()));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void aQueuedJobWhoseTicketWasLostIsEnqueuedAgainButALeasedOneIsNot() throws Exception {
        String configId = "sweep-" + JobIds.newId().substring(0, 8);
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", configId, Json.object().put("n", 1)));
        String lost = JobIds.newId();
        String leased = JobIds.newId();
        Job lostView = ask(lost, r -> new JobEntity.Submit(spec, 1, null, r));
        Job leasedView = ask(leased, r -> new JobEntity.Submit(spec, 1, null, r));
        // Redis loses both tickets (e.g. FLUSHALL); the read model still shows both queued.
        List<Delivery> taken = take(configId, 10);
        assertEquals(2, taken.size());
        queue.ack(taken).toCompletableFuture().get();
        views.putJobs(List.of(lostView, leasedView)).toCompletableFuture().get();
        ask(leased, r -> new JobEntity.AcquireLease("node-a", "w1", Duration.ofMinutes(1), r));

        ActorRef<OutboxSweeper.Command> sweeper = testKit.spawn(OutboxSweeper.create(views, SETTINGS, TIMEOUT, Clock.systemUTC()));
        try {
            List<Delivery> again = take(configId, 10);
            assertEquals(List.of(lost), again.stream().map(d -> d.ticket().jobId()).toList(), "only the job that still waits");
            queue.ack(again).toCompletableFuture().get();
            // The next re-enqueue of that job waits twice as long; sweeps in between send nothing.
            Thread.sleep(MIN_AGE.toMillis());
            assertEquals(0L, queue.depth(configId).toCompletableFuture().get());
        } finally {
            testKit.stop(sweeper);
        }
    }

    @Test
    void onlyJobsQueuedAndDueLongerThanTheMinimumAgeAreSwept() {
        Instant now = Instant.parse("2026-01-01T00:10:00Z");
        Instant cutoff = now.minus(MIN_AGE);
        Job fresh = view(now, null);
        Job old = view(now.minusSeconds(5), null);
        Job retriedLongAgo = view(now.minusSeconds(50), now.minusSeconds(5));
        Job retryNotDue = view(now.minusSeconds(50), now.plusSeconds(5));

        assertFalse(OutboxSweeper.waitingSince(fresh, cutoff));
        assertTrue(OutboxSweeper.waitingSince(old, cutoff));
        assertTrue(OutboxSweeper.waitingSince(retriedLongAgo, cutoff));
        assertFalse(OutboxSweeper.waitingSince(retryNotDue, cutoff));
    }

    @Test
    void heldJobsAreAlwaysWokenAndFinishedOnesNever() {
        Instant now = Instant.parse("2026-01-01T00:10:00Z");
        Instant cutoff = now.minus(MIN_AGE);

        assertTrue(OutboxSweeper.needsWake(withStatus(view(now, null), JobStatus.LEASED), cutoff));
        assertTrue(OutboxSweeper.needsWake(withStatus(view(now, null), JobStatus.RUNNING), cutoff));
        assertFalse(OutboxSweeper.needsWake(view(now, null), cutoff), "a fresh queued job still has its ticket");
        assertTrue(OutboxSweeper.needsWake(view(now.minusSeconds(5), null), cutoff));
        for (JobStatus terminal : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.DEAD_LETTERED)) {
            assertFalse(OutboxSweeper.needsWake(withStatus(view(now.minusSeconds(50), null), terminal), cutoff), terminal::toString);
        }
    }

    private static Job withStatus(Job j, JobStatus status) {
        return new Job(j.id(), j.type(), j.configId(), j.configVersion(), j.input(), j.priority(), j.maxAttempts(),
                j.timeoutSeconds(), j.idempotencyKey(), j.labels(), j.replayOf(), status, j.attempt(), j.attemptsLimit(), false,
                null, null, null, List.of(), null, j.retryAt(), j.createdAt(), j.queuedAt(), null, null, null, j.updatedAt(), 1);
    }

    private static Job view(Instant queuedAt, Instant retryAt) {
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", "c", Json.object()));
        Job j = Job.submitted(new io.spindle.model.job.JobEvent.Submitted(JobIds.newId(), spec, 1, null, queuedAt));
        return new Job(j.id(), j.type(), j.configId(), j.configVersion(), j.input(), j.priority(), j.maxAttempts(),
                j.timeoutSeconds(), j.idempotencyKey(), j.labels(), j.replayOf(), JobStatus.QUEUED, 1, j.attemptsLimit(), false,
                null, null, null, List.of(), null, retryAt, queuedAt, queuedAt, null, null, null, queuedAt, 1);
    }

    private static List<Delivery> take(String configId, int max) throws Exception {
        return queue.take(configId, "test", max, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
    }

    private static Job ask(String id, Function<ActorRef<JobReply>, JobEntity.Command> command) throws Exception {
        return JobEntity.entityRef(testKit.system(), id).ask(command::apply, TIMEOUT)
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).orThrow();
    }
}
