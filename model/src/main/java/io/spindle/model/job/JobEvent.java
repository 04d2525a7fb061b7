package io.spindle.model.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Every journaled transition of a job. The event list is the job's audit history, so each event
 * carries its time; the JSON type names are stable (they live in the journal for good).
 * Progress and heartbeats are deliberately not events: they would each cost a durable write.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobEvent.Submitted.class, name = "submitted"),
    @JsonSubTypes.Type(value = JobEvent.Leased.class, name = "leased"),
    @JsonSubTypes.Type(value = JobEvent.Started.class, name = "started"),
    @JsonSubTypes.Type(value = JobEvent.Succeeded.class, name = "succeeded"),
    @JsonSubTypes.Type(value = JobEvent.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = JobEvent.RetryScheduled.class, name = "retry_scheduled"),
    @JsonSubTypes.Type(value = JobEvent.DeadLettered.class, name = "dead_lettered"),
    @JsonSubTypes.Type(value = JobEvent.CancelRequested.class, name = "cancel_requested"),
    @JsonSubTypes.Type(value = JobEvent.Canceled.class, name = "canceled"),
    @JsonSubTypes.Type(value = JobEvent.Requeued.class, name = "requeued"),
    @JsonSubTypes.Type(value = JobEvent.LeaseReleased.class, name = "lease_released"),
})
public sealed interface JobEvent {
    /** The tag every job event carries in the journal, for the read-model projection. */
    String TAG = "job";

    String jobId();

    Instant at();

    /**
     * Accepted and queued. {@code replayOf} names the job this one replays, if any; {@code origin} (null for a
     * client's job) the experiment, arm and repetition it runs for.
     */
    record Submitted(String jobId, JobSpec spec, Integer configVersion, String replayOf, JobOrigin origin, Instant at)
            implements JobEvent {
        /** A client's job: no origin. */
        public Submitted(String jobId, JobSpec spec, Integer configVersion, String replayOf, Instant at) {
            this(jobId, spec, configVersion, replayOf, null, at);
        }
    }

    /** A node's dispatcher took attempt {@code attempt} for one of its workers until {@code leaseExpiresAt}. */
    record Leased(String jobId, int attempt, String node, String worker, Instant leaseExpiresAt, Instant at) implements JobEvent {}

    /** The worker began executing the attempt. */
    record Started(String jobId, int attempt, Instant at) implements JobEvent {}

    record Succeeded(String jobId, int attempt, ObjectNode outputs, List<String> artifactIds, Instant at) implements JobEvent {
        public Succeeded {
            artifactIds = artifactIds == null ? List.of() : List.copyOf(artifactIds);
        }
    }

    /** A permanent failure: the job ends {@code failed}. */
    record Failed(String jobId, int attempt, JobError error, Instant at) implements JobEvent {}

    /** A transient failure (or an expired lease) with attempts left: back to queued, not before {@code retryAt}. */
    record RetryScheduled(String jobId, int attempt, JobError error, Instant retryAt, Instant at) implements JobEvent {}

    /** Transient failures exhausted the attempts: the job waits for a person to requeue it. */
    record DeadLettered(String jobId, int attempt, JobError error, Instant at) implements JobEvent {}

    /** Cancel asked while a worker holds the job; the worker is told and the job ends canceled. */
    record CancelRequested(String jobId, String reason, Instant at) implements JobEvent {}

    record Canceled(String jobId, String reason, Instant at) implements JobEvent {}

    /** A dead-lettered job sent back to the queue with a fresh budget of attempts. */
    record Requeued(String jobId, Instant at) implements JobEvent {}

    /**
     * The holder of attempt {@code attempt} gave its lease back before the attempt ended (its node is stopping, it
     * never got the job, or its node restarted): back to queued at once with the same attempt, none spent.
     */
    record LeaseReleased(String jobId, int attempt, String node, String worker, String reason, Instant at) implements JobEvent {}
}
