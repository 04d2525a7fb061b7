package io.spindle.node.job;

import static io.spindle.node.job.JobEntityFixture.NODE;
import static io.spindle.node.job.JobEntityFixture.SPEC;
import static io.spindle.node.job.JobEntityFixture.START;
import static io.spindle.node.job.JobEntityFixture.WORKER;
import static io.spindle.node.job.JobEntityFixture.accepted;
import static io.spindle.node.job.JobEntityFixture.at;
import static io.spindle.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.Lease;
import io.spindle.model.job.Progress;
import io.spindle.model.json.Json;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job lifecycle from submit to success, failure, retry, dead letter and requeue, with every rejection. */
class JobEntityTest {
    private static final ActorTestKit testKit = ActorTestKit.create("JobEntityTest", JobEntityFixture.config());

    private JobEntityFixture f;

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newJob() {
        f = new JobEntityFixture(testKit);
    }

    // ---- submit ------------------------------------------------------------------------------

    @Test
    void submitPersistsSubmittedRepliesWithTheQueuedJobAndEnqueuesATicket() {
        var result = f.run(r -> new JobEntity.Submit(SPEC, 3, "some-older-job", r));

        assertEquals(List.of(new JobEvent.Submitted(f.id, SPEC, 3, "some-older-job", START)), result.events());
        Job job = accepted(result);
        assertEquals(f.id, job.id());
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(1, job.attempt());
        assertEquals(3, job.configVersion());
        assertEquals("some-older-job", job.replayOf());
        assertEquals(job, result.state().job(), "entity state and reply are the same fold");
        assertEquals(List.of(new QueueTicket(f.id, "cfg-a", SPEC.priority(), 1)), f.queue.tickets());
    }

    @Test
    void submitIsIdempotentByJobId() {
        Job first = f.submit();

        var again = f.run(r -> new JobEntity.Submit(SPEC.withPriority(9), 2, null, r));

        assertEquals(first, accepted(again));
        assertEquals(List.of(), again.events());
        assertEquals(1, f.queue.tickets().size(), "a repeated submit enqueues nothing");
    }

    @Test
    void submitHandledAfterItsDeadlineCreatesNothing() {
        SpindleError error = rejected(f.run(r -> new JobEntity.Submit(SPEC, 1, null, START.minusMillis(1), r)), ErrorCode.OVERLOADED);

        assertTrue(error.message().contains("not created"), error.message());
        assertEquals(List.of(), f.queue.tickets());
        rejected(f.run(JobEntity.Get::new), ErrorCode.JOB_NOT_FOUND);
    }

    @Test
    void submitWithinItsDeadlineCreatesTheJob() {
        var result = f.run(r -> new JobEntity.Submit(SPEC, 1, null, START, r));

        assertEquals(JobStatus.QUEUED, accepted(result).status());
        assertEquals(1, result.events().size());
    }

    @Test
    void aRepeatedSubmitPastItsDeadlineStillAnswersTheExistingJob() {
        Job first = f.submit();

        assertEquals(first, accepted(f.run(r -> new JobEntity.Submit(SPEC, 1, null, START.minusSeconds(60), r))),
                "the job exists, so the late retry is not a refusal");
    }

    @Test
    void submitRejectsAnInvalidSpecAndPersistsNothing() {
        SpindleError error = rejected(f.run(r -> new JobEntity.Submit(SPEC.withPriority(42), 1, null, r)), ErrorCode.VALIDATION_FAILED);

        assertTrue(error.message().contains("priority"), error.message());
        assertEquals(List.of(), f.queue.tickets());
    }

    @Test
    void submitIsAcceptedEvenWhenTheQueueIsDown() {
        f.queue.failing(true);

        var result = f.run(r -> new JobEntity.Submit(SPEC, 1, null, r));

        assertEquals(JobStatus.QUEUED, accepted(result).status());
        assertEquals(1, result.events().size());
    }

    @Test
    void everyCommandOnAnUnknownJobIsRejectedWithJobNotFoundAndTheEntityPassivates() {
        List<Function<ActorRef<JobReply>, JobEntity.Command>> commands = List.of(
                JobEntity.Get::new,
                r -> new JobEntity.AcquireLease(NODE, WORKER, null, r),
                r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r),
                r -> new JobEntity.ReportProgress(NODE, WORKER, 1, new Progress(0.5, "half", START), r),
                r -> new JobEntity.Start(NODE, WORKER, 1, r),
                r -> new JobEntity.Complete(NODE, WORKER, 1, Json.object(), List.of(), r),
                r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.permanent("boom", "boom"), r),
                r -> new JobEntity.Cancel("no", r),
                r -> new JobEntity.CancelConfirmed(NODE, WORKER, 1, r),
                JobEntity.Requeue::new);
        for (var command : commands) {
            rejected(f.run(command), ErrorCode.JOB_NOT_FOUND);
        }

        f.advance(JobEntityFixture.PASSIVATE_AFTER.minusSeconds(1));
        f.shard.expectNoMessage(Duration.ofMillis(50));
        f.advance(Duration.ofSeconds(1));
        f.shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    // ---- lease, heartbeat, progress, start ---------------------------------------------------

    @Test
    void leaseOfAQueuedJobPersistsLeasedWithItsExpiry() {
        f.submit();
        f.advance(Duration.ofSeconds(2));

        var result = f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, Duration.ofSeconds(45), r));

        assertEquals(List.of(new JobEvent.Leased(f.id, 1, NODE, WORKER, at(47), at(2))), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.LEASED, job.status());
        assertEquals(new Lease(NODE, WORKER, at(47)), job.lease());
        assertEquals(at(2), job.leasedAt());
    }

    @Test
    void leaseWithStartJournalsLeasedAndStartedInOneWrite() {
        f.submit();
        f.advance(Duration.ofSeconds(2));

        var result = f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, Duration.ofSeconds(45), true, r));

        assertEquals(List.of(new JobEvent.Leased(f.id, 1, NODE, WORKER, at(47), at(2)), new JobEvent.Started(f.id, 1, at(2))),
                result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(new Lease(NODE, WORKER, at(47)), job.lease());
        assertEquals(at(2), job.startedAt());
        assertEquals(JobStatus.RUNNING, accepted(f.run(r -> new JobEntity.Start(NODE, WORKER, 1, r))).status(),
                "a Start after it changes nothing");
    }

    @Test
    void leaseWithoutTtlUsesTheConfiguredDefault() {
        f.submit();

        assertEquals(START.plus(JobEntityFixture.TTL), f.lease().lease().expiresAt());
    }

    @Test
    void leaseIsRejectedUnlessTheJobIsQueued() {
        f.submit();
        f.lease();

        SpindleError error = rejected(f.run(r -> new JobEntity.AcquireLease("node-b", "w9", null, r)), ErrorCode.INVALID_STATE);
        assertEquals("leased", error.details().get("status"));

        f.start(1);
        rejected(f.run(r -> new JobEntity.AcquireLease("node-b", "w9", null, r)), ErrorCode.INVALID_STATE);
        accepted(f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, Json.object(), List.of(), r)));
        rejected(f.run(r -> new JobEntity.AcquireLease("node-b", "w9", null, r)), ErrorCode.INVALID_STATE);
    }

    @Test
    void leaseIsRejectedWithoutANodeOrWithANonPositiveTtl() {
        f.submit();

        rejected(f.run(r -> new JobEntity.AcquireLease(null, WORKER, null, r)), ErrorCode.INVALID_REQUEST);
        rejected(f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, Duration.ZERO, r)), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void heartbeatExtendsTheLeaseAndRecordsProgressWithoutJournaling() {
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(10));
        Progress progress = new Progress(40.0, "sampling", at(10));

        var result = f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, progress, r));

        assertEquals(List.of(), result.events());
        Job view = accepted(result);
        assertEquals(at(40), view.lease().expiresAt(), "extended to now + the lease's ttl");
        assertEquals(progress, view.progress());
        assertFalse(view.cancelRequested());
        assertEquals(view, accepted(f.run(JobEntity.Get::new)), "Get shows the in-memory lease and progress");
        assertEquals(at(30), result.state().job().lease().expiresAt(), "the journaled state keeps the leased expiry");
    }

    @Test
    void reportProgressUpdatesProgressAndExtendsTheLease() {
        f.submit();
        f.lease();
        f.start(1);
        f.advance(Duration.ofSeconds(5));
        Progress progress = new Progress(75.0, "decoding", at(5));

        var result = f.run(r -> new JobEntity.ReportProgress(NODE, WORKER, 1, progress, r));

        assertEquals(List.of(), result.events());
        assertEquals(progress, accepted(result).progress());
        assertEquals(at(35), accepted(result).lease().expiresAt());
    }

    @Test
    void heartbeatFromAnyoneButTheLeaseHolderIsALeaseMismatch() {
        f.submit();
        rejected(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)), ErrorCode.LEASE_MISMATCH);
        f.lease();

        rejected(f.run(r -> new JobEntity.Heartbeat(NODE, "w2", 1, null, r)), ErrorCode.LEASE_MISMATCH);
        rejected(f.run(r -> new JobEntity.Heartbeat("node-b", WORKER, 1, null, r)), ErrorCode.LEASE_MISMATCH);
        SpindleError error = rejected(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 2, null, r)), ErrorCode.LEASE_MISMATCH);
        assertEquals(1, error.details().get("attempt"));
        rejected(f.run(r -> new JobEntity.ReportProgress(NODE, "w2", 1, null, r)), ErrorCode.LEASE_MISMATCH);
    }

    @Test
    void startMovesALeasedJobToRunningAndARepeatedStartChangesNothing() {
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(1));

        var result = f.run(r -> new JobEntity.Start(NODE, WORKER, 1, r));

        assertEquals(List.of(new JobEvent.Started(f.id, 1, at(1))), result.events());
        assertEquals(JobStatus.RUNNING, accepted(result).status());
        var again = f.run(r -> new JobEntity.Start(NODE, WORKER, 1, r));
        assertEquals(List.of(), again.events());
        assertEquals(JobStatus.RUNNING, accepted(again).status());
        rejected(f.run(r -> new JobEntity.Start(NODE, "w2", 1, r)), ErrorCode.LEASE_MISMATCH);
    }

    @Test
    void startOfAQueuedJobIsALeaseMismatch() {
        f.submit();

        rejected(f.run(r -> new JobEntity.Start(NODE, WORKER, 1, r)), ErrorCode.LEASE_MISMATCH);
    }

    // ---- complete, fail ----------------------------------------------------------------------

    @Test
    void completeEndsTheJobSucceededAndTheEntityPassivatesLater() {
        f.submit();
        f.lease();
        f.start(1);
        f.advance(Duration.ofSeconds(3));
        var outputs = Json.object().put("text", "warp and weft");

        var result = f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, outputs, List.of("art-1", "art-2"), r));

        assertEquals(List.of(new JobEvent.Succeeded(f.id, 1, outputs, List.of("art-1", "art-2"), at(3))), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals(outputs, job.outputs());
        assertEquals(List.of("art-1", "art-2"), job.artifactIds());
        assertNull(job.lease());
        assertEquals(at(3), job.finishedAt());

        var retried = f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, outputs, List.of(), r));
        assertEquals(job, accepted(retried), "a retried Complete of the same attempt is accepted as is");
        assertEquals(List.of(), retried.events());

        f.advance(JobEntityFixture.PASSIVATE_AFTER.minusSeconds(1));
        f.shard.expectNoMessage(Duration.ofMillis(50));
        f.advance(Duration.ofSeconds(1));
        f.shard.expectMessageClass(ClusterSharding.Passivate.class);
    }

    @Test
    void completeOfALeasedJobWithoutStartSucceeds() {
        f.submit();
        f.lease();

        var result = f.run(r -> new JobEntity.Complete(NODE, WORKER, 1, null, null, r));

        assertEquals(JobStatus.SUCCEEDED, accepted(result).status());
        assertEquals(Json.object(), accepted(result).outputs());
    }

    @Test
    void completeFromAnotherWorkerIsALeaseMismatch() {
        f.submit();
        f.lease();

        rejected(f.run(r -> new JobEntity.Complete(NODE, "w2", 1, Json.object(), List.of(), r)), ErrorCode.LEASE_MISMATCH);
        rejected(f.run(r -> new JobEntity.Fail(NODE, "w2", 1, JobError.permanent("x", "y"), r)), ErrorCode.LEASE_MISMATCH);
    }

    @Test
    void permanentFailureEndsTheJobFailed() {
        f.submit();
        f.lease();
        f.start(1);
        JobError error = JobError.permanent("bad_input", "prompt too long for this model");

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, error, r));

        assertEquals(List.of(new JobEvent.Failed(f.id, 1, error, START)), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.FAILED, job.status());
        assertEquals(error, job.lastError());
        assertEquals(1, f.queue.tickets().size(), "a failed job is not enqueued again");
    }

    @Test
    void transientFailureSchedulesARetryAfterExponentialBackoffAndEnqueuesWhenDue() {
        f.submit();
        f.lease();
        f.start(1);
        JobError error = JobError.transientError("oom", "CUDA out of memory");

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, error, r));

        assertEquals(List.of(new JobEvent.RetryScheduled(f.id, 1, error, at(10), START)), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(2, job.attempt());
        assertEquals(at(10), job.retryAt());

        rejected(f.run(r -> new JobEntity.AcquireLease(NODE, WORKER, null, r)), ErrorCode.NOT_YET_DUE);
        f.advance(Duration.ofSeconds(9));
        assertEquals(1, f.queue.tickets().size(), "not enqueued before the retry is due");
        f.advance(Duration.ofSeconds(1));
        f.journal();
        assertEquals(new QueueTicket(f.id, "cfg-a", SPEC.priority(), 2), f.queue.tickets().get(1));

        assertEquals(2, f.lease().attempt());
        var second = f.run(r -> new JobEntity.Fail(NODE, WORKER, 2, error, r));
        assertEquals(at(10 + 20), accepted(second).retryAt(), "the second retry waits base * factor");
    }

    @Test
    void transientFailureOfTheLastAttemptDeadLetters() {
        f.submit(SPEC.withMaxAttempts(1));
        f.lease();
        JobError error = JobError.transientError("timeout", "upstream API timed out");

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, error, r));

        assertEquals(List.of(new JobEvent.DeadLettered(f.id, 1, error, START)), result.events());
        assertEquals(JobStatus.DEAD_LETTERED, accepted(result).status());
    }

    @Test
    void failWithoutAnErrorIsAPermanentFailure() {
        f.submit();
        f.lease();

        var result = f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, null, r));

        assertEquals(JobStatus.FAILED, accepted(result).status());
    }

    // ---- lease expiry ------------------------------------------------------------------------

    @Test
    void anExpiredLeaseSchedulesARetryAtTheTtlAndNotBefore() {
        f.submit();
        f.lease();
        f.start(1);

        f.advance(Duration.ofSeconds(29));
        assertEquals(3, f.journal().size(), "no expiry before the ttl");
        f.advance(Duration.ofSeconds(1));

        var expired = (JobEvent.RetryScheduled) f.lastEvent();
        assertEquals(JobEntity.LEASE_EXPIRED, expired.error().code());
        assertTrue(expired.error().isTransient());
        assertEquals(1, expired.attempt());
        assertEquals(at(30), expired.at());
        assertEquals(at(40), expired.retryAt());
        assertEquals(JobStatus.QUEUED, f.job().status());
        rejected(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)), ErrorCode.LEASE_MISMATCH);

        f.advance(Duration.ofSeconds(10));
        f.journal();
        assertEquals(List.of(1, 2), f.queue.tickets().stream().map(QueueTicket::attempt).toList());
    }

    @Test
    void heartbeatsPostponeTheLeaseExpiry() {
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(20));
        accepted(f.run(r -> new JobEntity.Heartbeat(NODE, WORKER, 1, null, r)));

        f.advance(Duration.ofSeconds(29));
        assertEquals(2, f.journal().size(), "the heartbeat moved the expiry to 50s");
        f.advance(Duration.ofSeconds(1));

        var expired = (JobEvent.RetryScheduled) f.lastEvent();
        assertEquals(at(50), expired.at());
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptDeadLetters() {
        f.submit(SPEC.withMaxAttempts(1));
        f.lease();

        f.advance(JobEntityFixture.TTL);

        var dead = (JobEvent.DeadLettered) f.lastEvent();
        assertEquals(JobEntity.LEASE_EXPIRED, dead.error().code());
        assertEquals(JobStatus.DEAD_LETTERED, f.job().status());
    }

    // ---- requeue, get ------------------------------------------------------------------------

    @Test
    void requeueSendsADeadLetteredJobBackWithAFreshBudgetOfAttempts() {
        f.submit(SPEC.withMaxAttempts(2));
        f.lease();
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.transientError("oom", "x"), r)));
        f.advance(JobEntityFixture.RETRY_BASE);
        f.lease();
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 2, JobError.transientError("oom", "x"), r)));
        assertEquals(JobStatus.DEAD_LETTERED, f.job().status());
        f.advance(Duration.ofSeconds(1));

        var result = f.run(JobEntity.Requeue::new);

        assertEquals(List.of(new JobEvent.Requeued(f.id, at(11))), result.events());
        Job job = accepted(result);
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(3, job.attempt());
        assertEquals(4, job.attemptsLimit(), "two more attempts: 3 and 4");
        assertEquals(new QueueTicket(f.id, "cfg-a", SPEC.priority(), 3), f.queue.tickets().get(f.queue.tickets().size() - 1));
        assertEquals(3, f.lease().attempt());
    }

    @Test
    void requeueIsRejectedUnlessTheJobIsDeadLettered() {
        f.submit();
        rejected(f.run(JobEntity.Requeue::new), ErrorCode.INVALID_STATE);
        f.lease();
        rejected(f.run(JobEntity.Requeue::new), ErrorCode.INVALID_STATE);
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.permanent("x", "y"), r)));
        rejected(f.run(JobEntity.Requeue::new), ErrorCode.INVALID_STATE);
    }

    @Test
    void getReturnsTheCurrentView() {
        Job submitted = f.submit();

        var result = f.run(JobEntity.Get::new);

        assertEquals(submitted, accepted(result));
        assertEquals(List.of(), result.events());
    }
}
