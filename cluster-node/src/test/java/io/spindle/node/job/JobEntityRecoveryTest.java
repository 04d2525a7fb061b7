package io.spindle.node.job;

import static io.spindle.node.job.JobEntityFixture.NODE;
import static io.spindle.node.job.JobEntityFixture.RECOVERY_GRACE;
import static io.spindle.node.job.JobEntityFixture.SETTINGS;
import static io.spindle.node.job.JobEntityFixture.WORKER;
import static io.spindle.node.job.JobEntityFixture.accepted;
import static io.spindle.node.job.JobEntityFixture.at;
import static io.spindle.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a restarted entity (node restart, rebalance, passivation) rebuilds: timers, outbox, state from snapshots. */
class JobEntityRecoveryTest {
    private static final ActorTestKit testKit = ActorTestKit.create("JobEntityRecoveryTest", JobEntityFixture.config());

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void recoveryReArmsTheLeaseExpiryFromTheJournal() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(10));

        Job recovered = f.kit.restart().state().job();

        assertEquals(JobStatus.LEASED, recovered.status());
        f.advance(Duration.ofSeconds(19));
        assertEquals(2, f.journal().size(), "no expiry before the journaled 30s");
        f.advance(Duration.ofSeconds(1));
        var expired = (JobEvent.RetryScheduled) f.lastEvent();
        assertEquals(JobEntity.LEASE_EXPIRED, expired.error().code());
        assertEquals(at(30), expired.at());
    }

    @Test
    void aLeaseWhoseJournaledExpiryHasPassedExpiresPromptlyWithoutRecoveryGrace() {
        var f = new JobEntityFixture(testKit, SETTINGS.withLeaseRecoveryGrace(Duration.ZERO));
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(20));
        accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r))); // in memory only: until 50s
        f.advance(Duration.ofSeconds(15));

        f.kit.restart();

        var expired = (JobEvent.RetryScheduled) f.lastEvent();
        assertEquals(JobEntity.LEASE_EXPIRED, expired.error().code());
        assertEquals(at(35), expired.at());
    }

    @Test
    void aLeaseWhoseJournaledExpiryHasPassedGivesALiveWorkerTheRecoveryGraceToHeartbeat() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.start(1);
        f.advance(Duration.ofSeconds(20));
        accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)));
        f.advance(Duration.ofSeconds(15)); // t = 35s: journaled expiry (30s) has passed

        f.kit.restart();
        assertEquals(3, f.journal().size(), "not expired at once");
        f.advance(RECOVERY_GRACE.minusSeconds(5)); // t = 50s
        Job view = accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)));
        assertEquals(at(80), view.lease().expiresAt());

        f.advance(Duration.ofSeconds(29));
        assertEquals(3, f.journal().size(), "the heartbeat after recovery extended the lease again");
        f.advance(Duration.ofSeconds(1));
        assertEquals(at(80), ((JobEvent.RetryScheduled) f.lastEvent()).at());
    }

    @Test
    void withoutAHeartbeatTheRecoveredLeaseExpiresWhenTheGraceRunsOut() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(20));
        accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)));
        f.advance(Duration.ofSeconds(15));

        f.kit.restart();
        f.advance(RECOVERY_GRACE);

        assertEquals(at(35).plus(RECOVERY_GRACE), ((JobEvent.RetryScheduled) f.lastEvent()).at());
    }

    @Test
    void recoveryReEnqueuesAQueuedJob() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        assertEquals(1, f.queue.tickets().size());

        f.kit.restart();

        var ticket = new QueueTicket(f.id, "cfg-a", JobEntityFixture.SPEC.priority(), 1);
        assertEquals(List.of(ticket, ticket), f.queue.tickets(), "outbox: enqueued again, the duplicate is harmless");
        accepted(f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, null, r)));
    }

    @Test
    void recoveryOfAQueuedJobWhoseEnqueueFailedPutsItOnTheQueue() {
        var f = new JobEntityFixture(testKit);
        f.queue.failing(true);
        f.submit();
        f.queue.failing(false);

        f.kit.restart();

        assertEquals(List.of(1), f.queue.tickets().stream().map(QueueTicket::attempt).toList());
    }

    @Test
    void recoveryReArmsTheRetryTimer() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.transientError("oom", "x"), r)));
        f.advance(Duration.ofSeconds(5));

        f.kit.restart();

        assertEquals(1, f.queue.tickets().size(), "a retry that is not due yet is not enqueued on recovery");
        f.advance(Duration.ofSeconds(4));
        f.journal();
        assertEquals(1, f.queue.tickets().size());
        f.advance(Duration.ofSeconds(1));
        f.journal();
        assertEquals(List.of(1, 2), f.queue.tickets().stream().map(QueueTicket::attempt).toList());
    }

    @Test
    void recoveryAfterTheRetryFellDueEnqueuesPromptly() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.transientError("oom", "x"), r)));
        f.advance(Duration.ofSeconds(10));
        f.journal();
        assertEquals(List.of(1, 2), f.queue.tickets().stream().map(QueueTicket::attempt).toList());

        f.kit.restart();
        f.journal();

        assertEquals(List.of(1, 2, 2), f.queue.tickets().stream().map(QueueTicket::attempt).toList(),
                "a due retry whose ticket may have been lost is enqueued again");
    }

    @Test
    void recoveryOfACancelRequestReArmsTheGraceTimer() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.run(r -> new JobEntity.Cancel("stop", r));
        f.advance(Duration.ofSeconds(5));

        f.kit.restart();
        f.advance(Duration.ofSeconds(9));
        assertEquals(3, f.journal().size());
        f.advance(Duration.ofSeconds(1));

        assertEquals(new JobEvent.Canceled(f.id, "stop", at(15)), f.lastEvent());
    }

    @Test
    void aRecoveredTerminalJobAsksToBePassivatedAgain() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.run(r -> new JobEntity.Cancel("stop", r));
        f.advance(JobEntityFixture.PASSIVATE_AFTER);
        f.shard.expectMessageClass(ClusterSharding.Passivate.class);

        f.kit.restart();
        assertEquals(JobStatus.CANCELED, accepted(f.run(JobEntity.Get::new)).status());
        f.advance(JobEntityFixture.PASSIVATE_AFTER);

        f.shard.expectMessageClass(ClusterSharding.Passivate.class);
        rejected(f.run(JobEntity.Requeue::new), ErrorCode.INVALID_STATE);
    }

    @Test
    void aSnapshotIsSavedEveryNEventsAndRecoveryStartsFromIt() {
        var f = new JobEntityFixture(testKit, SETTINGS.withSnapshotEvery(2));
        var snapshots = f.kit.snapshotTestKit().orElseThrow();
        String pid = JobEntity.persistenceId(f.id).id();
        f.submit();
        snapshots.expectNothingPersisted(pid, Duration.ofMillis(100));
        f.lease();
        var afterLease = snapshots.expectNextPersistedClass(pid, JobEntity.State.class);
        assertEquals(JobStatus.LEASED, afterLease.job().status());
        assertEquals(2, afterLease.job().revision());
        f.start(1);
        snapshots.expectNothingPersisted(pid, Duration.ofMillis(100));
        accepted(f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, Json.object().put("n", 1), List.of(), r)));
        var afterComplete = snapshots.expectNextPersistedClass(pid, JobEntity.State.class);
        assertEquals(JobStatus.SUCCEEDED, afterComplete.job().status());

        List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(pid);
        assertEquals(4L, stored.get(stored.size() - 1).first().sequenceNr());
        assertEquals(4, f.journal().size(), "events stay: they are the audit history");
        f.kit.persistenceTestKit().clearByIdPreservingSeqNumbers(pid);
        assertEquals(afterComplete, f.kit.restart().state(), "recovered from the snapshot alone");
    }

    @Test
    void withoutSnapshotsRecoveryReplaysEveryEventAndLooksForNoSnapshot() {
        var f = new JobEntityFixture(testKit, SETTINGS.withSnapshotEvery(0));
        var snapshots = f.kit.snapshotTestKit().orElseThrow();
        String pid = JobEntity.persistenceId(f.id).id();
        f.submit();
        JobEntity.State queued = f.kit.restart().state();
        f.lease();
        snapshots.expectNothingPersisted(pid, Duration.ofMillis(100));

        // A snapshot left from when snapshots were on, older than the journal: a recovery that used it would
        // end queued, as nothing follows it.
        snapshots.persistForRecovery(pid, List.of(Pair.create(SnapshotMeta.create(2), queued)));
        assertEquals(JobStatus.LEASED, f.kit.restart().state().job().status(), "recovered from the events alone");
    }
}
