package io.spindle.node.job;

import static io.spindle.node.job.JobEntityFixture.NODE;
import static io.spindle.node.job.JobEntityFixture.SETTINGS;
import static io.spindle.node.job.JobEntityFixture.TTL;
import static io.spindle.node.job.JobEntityFixture.WORKER;
import static io.spindle.node.job.JobEntityFixture.accepted;
import static io.spindle.node.job.JobEntityFixture.at;
import static io.spindle.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A lease given back before its attempt ended (node stopping, a lease ask the dispatcher gave up on, a node restarted
 * while holding it): the job is queued again at once with the same attempt, and only the current holder can do it.
 */
class JobEntityReleaseLeaseTest {
    private static final ActorTestKit testKit = ActorTestKit.create("JobEntityReleaseLeaseTest", JobEntityFixture.config());

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void theHolderGivesTheLeaseBackAndTheJobIsQueuedAgainAtOnceWithoutSpendingAnAttempt() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.start(1);
        f.advance(Duration.ofSeconds(5));

        var result = f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, 1, "node stopping", r));

        Job job = accepted(result);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(1, job.attempt(), "no attempt spent");
        assertNull(job.retryAt(), "due at once");
        assertNull(job.lease());
        assertEquals(List.of(new JobEvent.LeaseReleased(f.id, 1, NODE, WORKER, "node stopping", at(5))), result.events());
        assertEquals(2, f.queue.ticketsOf(f.id), "enqueued again");
        assertEquals(new QueueTicket(f.id, job.configId(), job.priority(), 1), f.queue.tickets().get(1));

        Job again = f.lease();
        assertEquals(1, again.attempt());
        f.advance(TTL.minusSeconds(1));
        assertEquals(JobStatus.LEASED, f.job().status(), "the new lease runs its own full ttl");
    }

    @Test
    void aReleaseWithoutAttemptFromTheDispatcherReleasesWhateverAttemptThatWorkerHolds() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();

        Job job = accepted(f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, null, "ask timed out", r)));

        assertEquals(JobStatus.QUEUED, job.status());
        assertInstanceOf(JobEvent.LeaseReleased.class, f.lastEvent());
    }

    @Test
    void onlyTheCurrentHolderCanReleaseSoALateReleaseIsANoOp() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        rejected(f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, null, "never leased", r)), ErrorCode.LEASE_MISMATCH);
        f.lease();
        rejected(f.run(r -> new JobEntity.ReleaseLease(NODE, "w2", 1, "another worker", r)), ErrorCode.LEASE_MISMATCH);
        rejected(f.run(r -> new JobEntity.ReleaseLease("node-b", WORKER, 1, "another node", r)), ErrorCode.LEASE_MISMATCH);
        rejected(f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, 2, "another attempt", r)), ErrorCode.LEASE_MISMATCH);
        assertEquals(JobStatus.LEASED, f.job().status());
        f.start(1);
        accepted(f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, null, List.of(), r)));

        rejected(f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, 1, "too late", r)), ErrorCode.LEASE_MISMATCH);
        assertEquals(JobStatus.SUCCEEDED, f.job().status());
    }

    @Test
    void aReleasedLeaseOfAJobWhoseCancelWasRequestedEndsItCanceled() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        accepted(f.run(r -> new JobEntity.Cancel("not needed", r)));

        Job job = accepted(f.run(r -> new JobEntity.ReleaseLease(NODE, WORKER, 1, "node stopping", r)));

        assertEquals(JobStatus.CANCELED, job.status());
        assertEquals(1, f.queue.ticketsOf(f.id), "not enqueued again");
    }

    @Test
    void recoveryReleasesALeaseGrantedToAnEarlierProcessOfThisNodeAtOnce() {
        // This process of NODE started 10s after the lease was granted (at 0s) by the one before it.
        var f = new JobEntityFixture(testKit, SETTINGS, new NodeIncarnation(NODE, at(10)));
        f.submit();
        f.lease();
        f.start(1);
        f.advance(Duration.ofSeconds(12));

        f.kit.restart();

        var released = assertInstanceOf(JobEvent.LeaseReleased.class, f.lastEvent());
        assertEquals(at(12), released.at(), "at once, not when the lease runs out at 30s");
        assertEquals(1, released.attempt());
        assertEquals(JobStatus.QUEUED, f.job().status());
        assertEquals(1, f.job().attempt());
        assertEquals(2, f.queue.ticketsOf(f.id), "enqueued again by the release");
    }

    @Test
    void recoveryKeepsALeaseOfThisProcessOrOfAnotherNode() {
        var thisProcess = new JobEntityFixture(testKit, SETTINGS, new NodeIncarnation(NODE, at(-10)));
        thisProcess.submit();
        thisProcess.lease();
        thisProcess.kit.restart();
        assertEquals(JobStatus.LEASED, thisProcess.job().status(), "granted by this very process: its worker may run it");

        var otherNode = new JobEntityFixture(testKit, SETTINGS, new NodeIncarnation("node-b", at(10)));
        otherNode.submit();
        otherNode.lease();
        otherNode.advance(Duration.ofSeconds(12));
        otherNode.kit.restart();
        assertEquals(JobStatus.LEASED, otherNode.job().status(), "held by another node: left to its lease timer");
        assertEquals(2, otherNode.journal().size());
    }
}
