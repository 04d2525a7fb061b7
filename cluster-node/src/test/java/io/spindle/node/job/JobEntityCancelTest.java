package io.spindle.node.job;

import static io.spindle.node.job.JobEntityFixture.CANCEL_GRACE;
import static io.spindle.node.job.JobEntityFixture.NODE;
import static io.spindle.node.job.JobEntityFixture.START;
import static io.spindle.node.job.JobEntityFixture.WORKER;
import static io.spindle.node.job.JobEntityFixture.accepted;
import static io.spindle.node.job.JobEntityFixture.at;
import static io.spindle.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancel: at once when queued; requested, then confirmed, expired or timed out when a worker holds the job. */
class JobEntityCancelTest {
    private static final ActorTestKit testKit = ActorTestKit.create("JobEntityCancelTest", JobEntityFixture.config());

    private JobEntityFixture f;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newJob() {
        f = new JobEntityFixture(testKit);
    }

    @Test
    void cancelOfAQueuedJobCancelsItAtOnce() {
        f.submit();

        var result = f.run(r -> new JobEntity.Cancel("not needed any more", r));

        assertEquals(List.of(new JobEvent.Canceled(f.id, "not needed any more", START)), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.CANCELED, job.status());
        assertEquals(START, job.finishedAt());
        rejected(f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, null, r)), ErrorCode.INVALID_STATE);
    }

    @Test
    void cancelWithoutAReasonGetsTheDefaultReason() {
        f.submit();

        var result = f.run(r -> new JobEntity.Cancel(null, r));

        assertEquals(List.of(new JobEvent.Canceled(f.id, JobEntity.DEFAULT_CANCEL_REASON, START)), result.events());
    }

    @Test
    void cancelOfARunningJobIsRequestedAndTheWorkerLearnsOfItOnItsNextHeartbeat() {
        f.submit();
        f.lease();
        f.start(1);

        var result = f.run(r -> new JobEntity.Cancel("user pressed stop", r));

        assertEquals(List.of(new JobEvent.CancelRequested(f.id, "user pressed stop", START)), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.RUNNING, job.status());
        assertTrue(job.cancelRequested());
        assertTrue(accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r))).cancelRequested());
    }

    @Test
    void aRepeatedCancelWhileRequestedChangesNothing() {
        f.submit();
        f.lease();
        f.run(r -> new JobEntity.Cancel("first", r));

        var again = f.run(r -> new JobEntity.Cancel("second", r));

        assertEquals(List.of(), again.events());
        assertTrue(accepted(again).cancelRequested());
    }

    @Test
    void theWorkerConfirmsACancelByFailingWithCodeCanceled() {
        f.submit();
        f.lease();
        f.start(1);
        f.run(r -> new JobEntity.Cancel("user pressed stop", r));
        f.advance(Duration.ofSeconds(2));

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1,
                JobError.permanent(JobEntity.CANCELED, "stopped by request"), r));

        assertEquals(List.of(new JobEvent.Canceled(f.id, "user pressed stop", at(2))), result.events());
        assertEquals(JobStatus.CANCELED, accepted(result).status());
    }

    @Test
    void aTransientFailureAfterACancelRequestEndsCanceledInsteadOfRetrying() {
        f.submit();
        f.lease();
        f.run(r -> new JobEntity.Cancel("stop", r));

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.transientError("oom", "x"), r));

        assertEquals(List.of(new JobEvent.Canceled(f.id, "stop", START)), result.events());
    }

    @Test
    void cancelConfirmedEndsTheJobCanceled() {
        f.submit();
        f.lease();
        f.run(r -> new JobEntity.Cancel("stop", r));

        rejected(f.run(r -> new JobEntity.CancelConfirmed(NODE, "w2", 1, r)), ErrorCode.LEASE_MISMATCH);
        var result = f.run(r -> new JobEntity.CancelConfirmed(NODE, WORKER, 1, r));

        assertEquals(List.of(new JobEvent.Canceled(f.id, "stop", START)), result.events());
        assertEquals(JobStatus.CANCELED, accepted(result).status());
    }

    @Test
    void cancelConfirmedWithoutARequestIsInvalidState() {
        f.submit();
        f.lease();

        rejected(f.run(r -> new JobEntity.CancelConfirmed(NODE, WORKER, 1, r)), ErrorCode.INVALID_STATE);
    }

    @Test
    void aWorkerThatNeverAnswersIsCanceledAfterTheGracePeriod() {
        f.submit();
        f.lease();
        f.start(1);
        f.run(r -> new JobEntity.Cancel("stop", r));

        f.advance(CANCEL_GRACE.minusSeconds(1));
        assertEquals(4, f.journal().size(), "still waiting for the worker");
        accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)));
        f.advance(Duration.ofSeconds(1));

        assertEquals(new JobEvent.Canceled(f.id, "stop", START.plus(CANCEL_GRACE)), f.lastEvent());
        assertEquals(JobStatus.CANCELED, f.job().status());
        rejected(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)), ErrorCode.LEASE_MISMATCH);
        f.advance(JobEntityFixture.TTL);
        assertEquals(5, f.journal().size(), "the lease timer died with the lease");
    }

    @Test
    void aLeaseThatExpiresAfterACancelRequestEndsCanceled() {
        f.submit();
        accepted(f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, Duration.ofSeconds(10), r)));
        f.run(r -> new JobEntity.Cancel("stop", r));

        f.advance(Duration.ofSeconds(10));

        assertEquals(new JobEvent.Canceled(f.id, "stop", at(10)), f.lastEvent(), "ended by the lease, before the 15s grace");
        assertEquals(List.of(1), f.queue.tickets().stream().map(t -> t.attempt()).toList(), "not re-enqueued");
    }

    @Test
    void cancelOfAFinishedJobIsInvalidState() {
        f.submit();
        f.lease();
        accepted(f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, Json.object(), List.of(), r)));

        rejected(f.run(r -> new JobEntity.Cancel("too late", r)), ErrorCode.INVALID_STATE);
    }

    @Test
    void cancelOfACanceledJobIsInvalidState() {
        f.submit();
        f.run(r -> new JobEntity.Cancel("once", r));

        rejected(f.run(r -> new JobEntity.Cancel("twice", r)), ErrorCode.INVALID_STATE);
    }
}
