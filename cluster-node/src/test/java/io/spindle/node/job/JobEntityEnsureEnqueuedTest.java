package io.spindle.node.job;

import static io.spindle.node.job.JobEntityFixture.NODE;
import static io.spindle.node.job.JobEntityFixture.WORKER;
import static io.spindle.node.job.JobEntityFixture.accepted;
import static io.spindle.node.job.JobEntityFixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobStatus;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The sweeper's EnsureEnqueued: a job still waiting gets a fresh ticket, with backoff; anything else gets none. */
class JobEntityEnsureEnqueuedTest {
    // A free port: the machine may run other nodes on the default one.
    private static final ActorTestKit testKit = ActorTestKit.create("JobEntityEnsureEnqueuedTest",
            ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0").withFallback(JobEntityFixture.config()));
    private static final Duration MIN_AGE = Duration.ofSeconds(60);
    private static final Duration MAX_AGE = Duration.ofSeconds(150);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void aQueuedJobWhoseTicketIsOldIsEnqueuedAgainWithBackoffAndNothingIsJournaled() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        assertEquals(1, f.queue.tickets().size());

        ensure(f);
        assertEquals(1, f.queue.tickets().size(), "enqueued just now: no duplicate");

        f.advance(MIN_AGE);
        var result = f.run(r -> new JobEntity.EnsureEnqueued(MIN_AGE, MAX_AGE, r));
        assertEquals(JobStatus.QUEUED, accepted(result).status());
        assertEquals(java.util.List.of(), result.events(), "a sweep never changes the job");
        assertEquals(2, f.queue.tickets().size());
        assertEquals(f.queue.tickets().get(0), f.queue.tickets().get(1), "the same ticket again");

        f.advance(MIN_AGE);
        ensure(f);
        assertEquals(2, f.queue.tickets().size(), "the second re-enqueue waits twice as long");
        f.advance(MIN_AGE);
        ensure(f);
        assertEquals(3, f.queue.tickets().size());

        f.advance(MAX_AGE.minusSeconds(1));
        ensure(f);
        assertEquals(3, f.queue.tickets().size(), "4 x min-age is capped at max-age");
        f.advance(Duration.ofSeconds(1));
        ensure(f);
        assertEquals(4, f.queue.tickets().size());
    }

    @Test
    void aTicketWhoseEnqueueFailedIsSentAgainAtTheNextSweepWithoutWaitingForMinAge() {
        var f = new JobEntityFixture(testKit);
        f.queue.failing(true);
        f.submit();
        assertEquals(0, f.queue.tickets().size(), "Redis is down: the submit is journaled, its ticket is not queued");
        f.queue.failing(false);

        ensure(f);

        assertEquals(1, f.queue.tickets().size(), "the lost ticket is sent at once, not after min-age");
        ensure(f);
        assertEquals(1, f.queue.tickets().size(), "and only once");
        f.advance(MIN_AGE);
        ensure(f);
        assertEquals(2, f.queue.tickets().size(), "then the usual resend after min-age");
    }

    @Test
    void aLeasedJobIsNotEnqueuedAgain() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        f.advance(Duration.ofSeconds(10));

        ensure(f);

        assertEquals(1, f.queue.tickets().size());
    }

    @Test
    void aRetryIsEnqueuedAgainOnlyOnceDueAndItsOwnTicketIsOld() {
        var f = new JobEntityFixture(testKit);
        f.submit();
        f.lease();
        accepted(f.run(r -> new JobEntity.Fail(NODE, WORKER, 1, JobError.transientError("oom", "out of memory"), r)));
        ensure(f);
        assertEquals(1, f.queue.tickets().size(), "not due before retry_at");

        f.advance(JobEntityFixture.RETRY_BASE);
        f.job(); // the entity has handled the timer once it answers
        assertEquals(2, f.queue.tickets().size(), "the retry timer enqueued attempt 2");
        assertEquals(2, f.queue.tickets().get(1).attempt());
        f.advance(MIN_AGE.minusSeconds(1));
        ensure(f);
        assertEquals(2, f.queue.tickets().size(), "the retry's own ticket is recent");

        f.advance(Duration.ofSeconds(1));
        ensure(f);
        assertEquals(3, f.queue.tickets().size());
    }

    @Test
    void aFinishedOrUnknownJobIsNotEnqueued() {
        var f = new JobEntityFixture(testKit);
        rejected(f.run(r -> new JobEntity.EnsureEnqueued(MIN_AGE, MAX_AGE, r)), ErrorCode.JOB_NOT_FOUND);
        f.submit();
        accepted(f.run(r -> new JobEntity.Cancel(null, r)));
        f.advance(MIN_AGE);

        ensure(f);

        assertEquals(1, f.queue.tickets().size());
    }

    private static void ensure(JobEntityFixture f) {
        accepted(f.run(r -> new JobEntity.EnsureEnqueued(MIN_AGE, MAX_AGE, r)));
    }
}
