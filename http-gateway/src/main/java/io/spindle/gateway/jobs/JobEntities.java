package io.spindle.gateway.jobs;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

    public JobEntities(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    /** Read-your-writes view of the job. */
    public CompletionStage<Job> get(String id) {
        return ask(id, JobEntity.Get::new);
    }

    /** The job, or empty when no job has this id. */
    public CompletionStage<Optional<Job>> find(String id) {
        if (!JobIds.isWellFormed(id)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return JobEntity.entityRef(system, id).ask(JobEntity.Get::new, askTimeout).thenApply(reply -> {
            if (reply instanceof JobReply.Rejected r && r.error().code() == ErrorCode.JOB_NOT_FOUND) {
                return Optional.empty();
            }
            return Optional.of(reply.orThrow());
        });
    }

    public CompletionStage<Job> submit(String id, JobSpec spec, int configVersion) {
        return ask(id, replyTo -> new JobEntity.Submit(spec, configVersion, null, replyTo));
    }

    public CompletionStage<Job> cancel(String id, String reason) {
        return ask(id, replyTo -> new JobEntity.Cancel(reason, replyTo));
    }

    public CompletionStage<Job> requeue(String id) {
        return ask(id, JobEntity.Requeue::new);
    }

    public static SpindleError notFound(String id) {
        return SpindleError.of(ErrorCode.JOB_NOT_FOUND, "no job " + id, Map.of("job_id", id));
    }

    private CompletionStage<Job> ask(String id, Function<ActorRef<JobReply>, JobEntity.Command> command) {
        if (!JobIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(new SpindleException(notFound(id)));
        }
        return JobEntity.entityRef(system, id).ask(command::apply, askTimeout).thenApply(JobReply::orThrow);
    }
}
