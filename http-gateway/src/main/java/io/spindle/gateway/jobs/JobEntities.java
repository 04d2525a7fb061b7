package io.spindle.gateway.jobs;

import io.spindle.gateway.http.ApiErrors;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The gateway's asks to sharded JobEntities. A refusal completes the stage with a
 * {@link SpindleException} carrying the entity's typed error; an id that is not a job id fails at
 * once with {@code job_not_found} instead of starting an entity for it.
 */
public final class JobEntities {
    private final ActorSystem<?> system;
    private final Duration askTimeout;
    private final SubmitAdmission admission;
    private final Clock clock;

    public JobEntities(ActorSystem<?> system, Duration askTimeout, SubmitAdmission admission) {
        this(system, askTimeout, admission, Clock.systemUTC());
    }

    public JobEntities(ActorSystem<?> system, Duration askTimeout, SubmitAdmission admission, Clock clock) {
        this.system = system;
        this.askTimeout = askTimeout;
        this.admission = admission;
        this.clock = clock;
    }

    /** Read-your-writes view of the job. */
    public CompletionStage<Job> get(String id) {
        return ask(id, JobEntity.Get::new, askTimeout);
    }

    /** The job, or empty when no job has this id. */
    public CompletionStage<Optional<Job>> find(String id) {
        return find(id, askTimeout);
    }

    private CompletionStage<Optional<Job>> find(String id, Duration timeout) {
        if (!JobIds.isWellFormed(id)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return PekkoStages.direct(JobEntity.entityRef(system, id).ask(JobEntity.Get::new, timeout)).thenApply(reply -> {
            if (reply instanceof JobReply.Rejected r && r.error().code() == ErrorCode.JOB_NOT_FOUND) {
                return Optional.empty();
            }
            return Optional.of(reply.orThrow());
        });
    }

    /**
     * Creates job {@code id}, or fails saying whether it exists (docs/decisions/0008-admission-control.md): the Submit
     * carries a deadline (now + the ask timeout) after which its entity refuses it, and a submit whose ask timed out
     * is settled by asking the entity again, never answered with a bare timeout.
     */
    public CompletionStage<Job> submit(String id, JobSpec spec, int configVersion) {
        Instant deadline = clock.instant().plus(askTimeout);
        return ask(id, replyTo -> new JobEntity.Submit(spec, configVersion, null, deadline, replyTo), askTimeout)
                .exceptionallyCompose(failure -> settle(id, spec.idempotencyKey(), ApiErrors.unwrap(failure)));
    }

    private CompletionStage<Job> settle(String id, String idempotencyKey, Throwable failure) {
        if (failure instanceof SpindleException e && e.error().code() == ErrorCode.OVERLOADED) {
            return CompletableFuture.failedFuture(new SpindleException(admission.notCreated(e.error().message())));
        }
        if (!(failure instanceof TimeoutException)) {
            return CompletableFuture.failedFuture(failure);
        }
        // This Get takes the Submit's path (region, shard, entity), behind it; the entity answers it after it handled
        // the Submit (and after that Submit's persist, which holds later commands). A Submit still in transit would
        // arrive after its deadline, and a late Submit creates nothing: "not found" therefore means "never".
        Duration resolveTimeout = admission.settings().resolveTimeout();
        return find(id, resolveTimeout).handle((found, error) -> {
            if (error != null) {
                throw new SpindleException(admission.outcomeUnknown(id, idempotencyKey, askTimeout.plus(resolveTimeout)));
            }
            return found.orElseThrow(() -> new SpindleException(admission.notCreated(
                    "its entity did not take the submit within " + askTimeout.toMillis() + " ms")));
        });
    }

    public CompletionStage<Job> cancel(String id, String reason) {
        return ask(id, replyTo -> new JobEntity.Cancel(reason, replyTo), askTimeout);
    }

    public CompletionStage<Job> requeue(String id) {
        return ask(id, JobEntity.Requeue::new, askTimeout);
    }

    public static SpindleError notFound(String id) {
        return SpindleError.of(ErrorCode.JOB_NOT_FOUND, "no job " + id, Map.of("job_id", id));
    }

    private CompletionStage<Job> ask(String id, Function<ActorRef<JobReply>, JobEntity.Command> command, Duration timeout) {
        if (!JobIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(new SpindleException(notFound(id)));
        }
        return PekkoStages.direct(JobEntity.entityRef(system, id).ask(command::apply, timeout)).thenApply(JobReply::orThrow);
    }
}
