package io.spindle.model.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The current view of one job: its spec, where it is in the lifecycle, and the time of each transition.
 * It is a pure fold of the job's events ({@link #apply}), so the JobEntity's state and the read model
 * computed from the journal are the same thing; {@code revision} is the sequence number of the last
 * event folded in (the read model's guard against applying an event twice). {@code alias} is the alias the client
 * submitted to (resolved at submit into {@code configId} and {@code configVersion}); {@code origin} says which
 * experiment a replay or a scorer's job belongs to.
 */
public record Job(
        String id,
        String type,
        String configId,
        Integer configVersion,
        JsonNode input,
        int priority,
        int maxAttempts,
        int timeoutSeconds,
        String idempotencyKey,
        Map<String, String> labels,
        String replayOf,
        JobStatus status,
        int attempt,
        int attemptsLimit,
        boolean cancelRequested,
        Lease lease,
        Progress progress,
        ObjectNode outputs,
        List<String> artifactIds,
        JobError lastError,
        Instant retryAt,
        Instant createdAt,
        Instant queuedAt,
        Instant leasedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long revision,
        String alias,
        JobOrigin origin) {

    public Job {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        artifactIds = artifactIds == null ? List.of() : List.copyOf(artifactIds);
    }

    /** A job submitted to its config directly, outside any experiment. */
    public Job(String id, String type, String configId, Integer configVersion, JsonNode input, int priority, int maxAttempts,
               int timeoutSeconds, String idempotencyKey, Map<String, String> labels, String replayOf, JobStatus status, int attempt,
               int attemptsLimit, boolean cancelRequested, Lease lease, Progress progress, ObjectNode outputs, List<String> artifactIds,
               JobError lastError, Instant retryAt, Instant createdAt, Instant queuedAt, Instant leasedAt, Instant startedAt,
               Instant finishedAt, Instant updatedAt, long revision) {
        this(id, type, configId, configVersion, input, priority, maxAttempts, timeoutSeconds, idempotencyKey, labels, replayOf,
                status, attempt, attemptsLimit, cancelRequested, lease, progress, outputs, artifactIds, lastError, retryAt,
                createdAt, queuedAt, leasedAt, startedAt, finishedAt, updatedAt, revision, null, null);
    }

    /** The first state of a job, from its first event. */
    public static Job submitted(JobEvent.Submitted e) {
        JobSpec s = e.spec();
        return new Job(e.jobId(), s.type(), s.configId(), e.configVersion(), s.input(),
                s.priority(), s.maxAttempts(), s.timeoutSeconds(), s.idempotencyKey(), s.labels(), e.replayOf(),
                JobStatus.QUEUED, 1, s.maxAttempts(), false, null, null, null, List.of(), null, null,
                e.at(), e.at(), null, null, null, e.at(), 1, s.alias(), e.origin());
    }

    /** Folds one more event (sequence number {@code revision + 1}) into this view. */
    public Job apply(JobEvent event) {
        Builder b = new Builder(this);
        b.revision = revision + 1;
        b.updatedAt = event.at();
        // Java 17: pattern matching for switch is still a preview, so an instanceof chain over the sealed type.
        if (event instanceof JobEvent.Leased e) {
            b.status = JobStatus.LEASED;
            b.attempt = e.attempt();
            b.lease = new Lease(e.node(), e.worker(), e.leaseExpiresAt());
            b.leasedAt = e.at();
            b.startedAt = null;
            b.progress = null;
            b.retryAt = null;
        } else if (event instanceof JobEvent.Started e) {
            b.status = JobStatus.RUNNING;
            b.startedAt = e.at();
        } else if (event instanceof JobEvent.Succeeded e) {
            b.status = JobStatus.SUCCEEDED;
            b.outputs = e.outputs();
            b.artifactIds = e.artifactIds();
            b.lease = null;
            b.finishedAt = e.at();
        } else if (event instanceof JobEvent.Failed e) {
            b.status = JobStatus.FAILED;
            b.lastError = e.error();
            b.lease = null;
            b.finishedAt = e.at();
        } else if (event instanceof JobEvent.RetryScheduled e) {
            b.status = JobStatus.QUEUED;
            b.lastError = e.error();
            b.attempt = e.attempt() + 1;
            b.retryAt = e.retryAt();
            b.lease = null;
            b.queuedAt = e.at();
        } else if (event instanceof JobEvent.DeadLettered e) {
            b.status = JobStatus.DEAD_LETTERED;
            b.lastError = e.error();
            b.lease = null;
            b.finishedAt = e.at();
        } else if (event instanceof JobEvent.CancelRequested) {
            b.cancelRequested = true;
        } else if (event instanceof JobEvent.Canceled e) {
            b.status = JobStatus.CANCELED;
            b.cancelRequested = true;
            b.lease = null;
            b.finishedAt = e.at();
        } else if (event instanceof JobEvent.LeaseReleased e) {
            b.status = JobStatus.QUEUED;
            b.lease = null;
            b.startedAt = null;
            b.progress = null;
            b.retryAt = null;
            b.queuedAt = e.at();
        } else if (event instanceof JobEvent.Requeued e) {
            b.status = JobStatus.QUEUED;
            b.attempt = attempt + 1;
            b.attemptsLimit = attempt + maxAttempts;
            b.retryAt = null;
            b.finishedAt = null;
            b.queuedAt = e.at();
        }
        // Submitted is only ever the first event (see submitted()); re-submits persist nothing.
        return b.build();
    }

    /** The same view with a fresher lease expiry (heartbeat) — not an event, so revision is unchanged. */
    public Job withLeaseExpiry(Instant expiresAt) {
        Builder b = new Builder(this);
        b.lease = lease == null ? null : lease.extendedTo(expiresAt);
        return b.build();
    }

    /** The same view with the worker's latest progress — not an event, so revision is unchanged. */
    public Job withProgress(Progress value) {
        Builder b = new Builder(this);
        b.progress = value;
        return b.build();
    }

    public boolean hasAttemptsLeft() {
        return attempt < attemptsLimit;
    }

    private static final class Builder {
        private final Job from;
        JobStatus status;
        int attempt;
        int attemptsLimit;
        boolean cancelRequested;
        Lease lease;
        Progress progress;
        ObjectNode outputs;
        List<String> artifactIds;
        JobError lastError;
        Instant retryAt;
        Instant queuedAt;
        Instant leasedAt;
        Instant startedAt;
        Instant finishedAt;
        Instant updatedAt;
        long revision;

        Builder(Job j) {
            from = j;
            status = j.status;
            attempt = j.attempt;
            attemptsLimit = j.attemptsLimit;
            cancelRequested = j.cancelRequested;
            lease = j.lease;
            progress = j.progress;
            outputs = j.outputs;
            artifactIds = j.artifactIds;
            lastError = j.lastError;
            retryAt = j.retryAt;
            queuedAt = j.queuedAt;
            leasedAt = j.leasedAt;
            startedAt = j.startedAt;
            finishedAt = j.finishedAt;
            updatedAt = j.updatedAt;
            revision = j.revision;
        }

        Job build() {
            Job f = from;
            return new Job(f.id, f.type, f.configId, f.configVersion, f.input, f.priority, f.maxAttempts,
                    f.timeoutSeconds, f.idempotencyKey, f.labels, f.replayOf, status, attempt, attemptsLimit,
                    cancelRequested, lease, progress, outputs, artifactIds, lastError, retryAt, f.createdAt,
                    queuedAt, leasedAt, startedAt, finishedAt, updatedAt, revision, f.alias, f.origin);
        }
    }
}
