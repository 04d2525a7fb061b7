package io.spindle.node.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.node.artifact.ArtifactUpload;
import io.spindle.node.artifact.DeclaredArtifact;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.metrics.SpindleMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last phase of an {@link Attempt}: stores the declared outputs of a successful attempt with their lineage,
 * tells the job's entity how the attempt ended — Complete, Fail or CancelConfirmed, all safe to repeat, so each is
 * sent again when the entity does not answer (a journal failure, an ask timeout) — deletes the scratch dir and
 * stops the attempt.
 */
final class AttemptReport {
    private static final Logger log = LoggerFactory.getLogger(AttemptReport.class);

    /** How an attempt ended. */
    sealed interface Outcome {}

    /**
     * The worker's result; {@code configVersion} is the version the attempt ran on and {@code inputArtifactIds} the
     * artifacts its input referenced: the lineage of every output.
     */
    record Succeeded(ObjectNode outputs, List<DeclaredArtifact> artifacts, Integer configVersion, List<String> inputArtifactIds)
            implements Outcome {}

    record Failed(JobError error) implements Outcome {}

    /** The worker stopped the attempt because it was told to cancel. */
    enum CancelConfirmed implements Outcome { INSTANCE }

    /**
     * The reporting behaviour of the attempt in {@code ctx}; {@code scratchDir} (nullable: the attempt never got
     * one) holds the outputs and is deleted at the end.
     */
    static Behavior<Attempt.Command> create(ActorContext<Attempt.Command> ctx, EntityRef<JobEntity.Command> entity, Job job,
                                            String worker, String configId, WorkerHost host, Path scratchDir, Outcome outcome) {
        return new AttemptReport(ctx, entity, job, worker, host, scratchDir).start(configId, outcome);
    }

    private final ActorContext<Attempt.Command> ctx;
    private final EntityRef<JobEntity.Command> entity;
    private final Job job;
    private final String worker;
    private final WorkerHost host;
    private final Path scratchDir;
    private final Executor blockingIo;
    /** What the entity is told, decided once; null while the outputs are being stored. */
    private Function<ActorRef<JobReply>, JobEntity.Command> end;
    private int sent;
    private boolean done;

    private AttemptReport(ActorContext<Attempt.Command> ctx, EntityRef<JobEntity.Command> entity, Job job, String worker,
                          WorkerHost host, Path scratchDir) {
        this.ctx = ctx;
        this.entity = entity;
        this.job = job;
        this.worker = worker;
        this.host = host;
        this.scratchDir = scratchDir;
        this.blockingIo = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    private Behavior<Attempt.Command> start(String configId, Outcome outcome) {
        if (outcome instanceof Succeeded s && !s.artifacts().isEmpty()) {
            ArtifactUpload upload = new ArtifactUpload(job.id(), job.attempt(), configId, s.configVersion(), worker,
                    host.node(), scratchDir, s.artifacts(), s.inputArtifactIds());
            CompletionStage<List<String>> stored;
            try {
                stored = host.uploader().upload(upload);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            ctx.pipeToSelf(stored, Attempt.Uploaded::new);
            return Behaviors.receive(Attempt.Command.class)
                    .onMessage(Attempt.Uploaded.class, m -> send(m.failure() == null
                            ? complete(s.outputs(), m.artifactIds())
                            : fail(uploadError(m.failure()))))
                    .onSignal(PostStop.class, signal -> stopped())
                    .onAnyMessage(m -> Behaviors.same())
                    .build();
        }
        String node = host.node();
        if (outcome instanceof Succeeded s) {
            return send(complete(s.outputs(), List.of()));
        } else if (outcome instanceof Failed f) {
            return send(fail(f.error()));
        }
        return send(r -> new JobEntity.CancelConfirmed(node, worker, job.attempt(), r));
    }

    private Behavior<Attempt.Command> send(Function<ActorRef<JobReply>, JobEntity.Command> command) {
        end = command;
        ask();
        return Behaviors.receive(Attempt.Command.class)
                .onMessage(Attempt.Reported.class, this::onReported)
                .onSignal(PostStop.class, signal -> stopped())
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private void ask() {
        sent++;
        ctx.pipeToSelf(PekkoStages.direct(entity.ask(end::apply, host.askTimeout())), Attempt.Reported::new);
    }

    private Behavior<Attempt.Command> onReported(Attempt.Reported m) {
        if (m.failure() != null) {
            if (sent < host.settings().reportAttempts()) {
                log.info("worker {}: job {} did not acknowledge the end of attempt {} ({}), sending it again",
                        worker, job.id(), job.attempt(), m.failure().toString());
                ask();
                return Behaviors.same();
            }
            log.warn("worker {}: job {} never acknowledged the end of attempt {}; its lease will run out", worker, job.id(), job.attempt());
        } else if (m.reply() instanceof JobReply.Accepted accepted) {
            // The run metrics of the attempt, on the node that ran it (the entity counts no reported end).
            SpindleMetrics.get(ctx.getSystem()).attemptEnded(accepted.job());
        } else if (m.reply() instanceof JobReply.Rejected rejected) {
            log.info("worker {}: job {} refused the end of attempt {}: {}", worker, job.id(), job.attempt(), rejected.error().message());
        }
        done = true;
        return Behaviors.stopped();
    }

    /**
     * The attempt stops: done, or stopped (node shutdown) while its outputs were being stored, in which case the
     * lease is given back now (no attempt spent) rather than when it runs out.
     */
    private Behavior<Attempt.Command> stopped() {
        if (!done && end == null) {
            entity.tell(new JobEntity.ReleaseLease(host.node(), worker, job.attempt(), "worker " + worker + " was stopped",
                    ctx.getSystem().ignoreRef()));
        }
        ScratchDirs.release(scratchDir, worker, blockingIo);
        return Behaviors.same();
    }

    private Function<ActorRef<JobReply>, JobEntity.Command> complete(ObjectNode outputs, List<String> artifactIds) {
        String node = host.node();
        return r -> new JobEntity.Complete(node, worker, job.attempt(), outputs, artifactIds, r);
    }

    private Function<ActorRef<JobReply>, JobEntity.Command> fail(JobError error) {
        String node = host.node();
        return r -> new JobEntity.Fail(node, worker, job.attempt(), error, r);
    }

    private JobError uploadError(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        log.warn("worker {}: outputs of job {} attempt {} not stored: {}", worker, job.id(), job.attempt(), cause.getMessage());
        if (cause instanceof SpindleException se && se.error().code() == ErrorCode.INVALID_REQUEST) {
            // Outputs outside the scratch dir, missing or declared twice: the worker's doing, a retry repeats it.
            return JobError.permanent(WorkerErrors.ARTIFACT_REJECTED, se.getMessage());
        }
        return JobError.transientError(WorkerErrors.ARTIFACT_UPLOAD_FAILED, "storing the outputs failed: " + cause.getMessage());
    }
}
