package io.spindle.node.job;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.QueueTicket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JobEntity incarnation's side of the outbox: puts the job's ticket on its config's queue after a
 * persisted Submitted/Requeued, a due retry or a recovery, and decides when the sweeper's
 * {@code EnsureEnqueued} should send it again (the wait doubles per resend of the same attempt, so a long
 * healthy backlog does not flood Redis with duplicates). Enqueue failures are only logged: recovery or the
 * sweeper sends the ticket again, and duplicates are harmless because Lease rejects them.
 */
final class JobOutbox {
    private static final Logger log = LoggerFactory.getLogger(JobOutbox.class);

    private final JobQueue queue;
    private final Clock clock;
    private Instant lastEnqueuedAt;
    private int enqueuedAttempt = -1;
    private int sweeperResends;
    /** The attempt whose last send failed (Redis down), or -1; set from the queue client's thread. */
    private volatile int failedAttempt = -1;

    JobOutbox(JobQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    /** Sends the ticket of the job's current attempt. */
    void send(Job job) {
        if (enqueuedAttempt != job.attempt()) {
            enqueuedAttempt = job.attempt();
            sweeperResends = 0;
        }
        lastEnqueuedAt = clock.instant();
        failedAttempt = -1;
        QueueTicket ticket = new QueueTicket(job.id(), job.configId(), job.priority(), job.attempt());
        CompletionStage<Void> sent;
        try {
            sent = queue.enqueue(ticket);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                failedAttempt = job.attempt();
                log.warn("job {} config {}: enqueue of attempt {} failed, recovery or the sweeper will enqueue it again: {}",
                        job.id(), job.configId(), job.attempt(), error.toString());
            }
        });
    }

    /** The sweeper's check: sends the ticket again if the job is queued, due, and was not sent for long enough. */
    void resendIfStale(Job job, Duration minAge, Duration maxAge) {
        Instant now = clock.instant();
        boolean due = job.status() == JobStatus.QUEUED && (job.retryAt() == null || !now.isBefore(job.retryAt()));
        // A ticket whose send failed never reached the queue: resend it at the first sweep, and do not count it.
        boolean lost = failedAttempt == job.attempt();
        boolean stale = lost || lastEnqueuedAt == null || enqueuedAttempt != job.attempt()
                || !now.isBefore(lastEnqueuedAt.plus(resendAge(minAge, maxAge)));
        if (!due || !stale) {
            return;
        }
        int resent = lost ? sweeperResends : enqueuedAttempt == job.attempt() ? sweeperResends + 1 : 1;
        log.debug("job {} config {}: still queued (attempt {}), last enqueued {}; enqueuing it again (sweeper, {} time(s))",
                job.id(), job.configId(), job.attempt(), lastEnqueuedAt == null ? "never by this incarnation" : lastEnqueuedAt, resent);
        send(job);
        sweeperResends = resent;
    }

    /** min * 2^(resends so far), capped at max. */
    private Duration resendAge(Duration min, Duration max) {
        Duration age = min;
        for (int i = 0; i < sweeperResends && age.compareTo(max) < 0; i++) {
            age = age.multipliedBy(2);
        }
        return age.compareTo(max) > 0 ? max : age;
    }
}
