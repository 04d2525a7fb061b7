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
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends attempts a {@link WorkerProcess} is done with: stores the declared outputs of a successful one with
 * their lineage, tells the JobEntity how the attempt ended (Complete, Fail or CancelConfirmed, sent again
 * when the entity does not answer in time), deletes the attempt's scratch dir and says it is done. A child of
 * the worker, keeping the storage and reporting steps out of the process supervision.
 */
final class AttemptReporter extends AbstractBehavior<AttemptReporter.Command> {
    private static final Logger log = LoggerFactory.getLogger(AttemptReporter.class);

    sealed interface Command {}

    /**
     * Report how an attempt ended; {@code scratchDir} (nullable) is deleted afterwards, and {@code token} is sent
     * to {@code done} once the entity acknowledged the end (or never answered).
     */
    record Report(Job job, Path scratchDir, Outcome outcome, long token, ActorRef<Long> done) implements Command {}

    /** The attempt is no longer ours to report: only delete its scratch dir. */
    record Discard(Path scratchDir) implements Command {}

    /** How an attempt ended. */
    sealed interface Outcome {}

    /** The worker's result; {@code configVersion} is the version the attempt ran on (lineage). */
    record Succeeded(ObjectNode outputs, List<DeclaredArtifact> artifacts, Integer configVersion) implements Outcome {}

    record Failed(JobError error) implements Outcome {}

    /** The worker stopped the attempt because it was told to cancel. */
    enum CancelConfirmed implements Outcome { INSTANCE }

    private record Uploaded(long id, List<String> artifactIds, Throwable failure) implements Command {}

    private record Answered(long id, JobReply reply, Throwable failure) implements Command {}

    /** One attempt being reported; {@code command} is what the entity is told, decided once (null while uploading). */
    private static final class Pending {
        final Report report;
        final EntityRef<JobEntity.Command> entity;
        Function<ActorRef<JobReply>, JobEntity.Command> command;
        int sent;

        Pending(Report report, EntityRef<JobEntity.Command> entity) {
            this.report = report;
            this.entity = entity;
        }
    }

    static Behavior<Command> create(String worker, String configId, WorkerHost host) {
        return Behaviors.setup(ctx -> new AttemptReporter(ctx, worker, configId, host));
    }

    private final String worker;
    private final String configId;
    private final WorkerHost host;
    private final Executor blockingIo;
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId;

    private AttemptReporter(ActorContext<Command> ctx, String worker, String configId, WorkerHost host) {
        super(ctx);
        this.worker = worker;
        this.configId = configId;
        this.host = host;
        this.blockingIo = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Report.class, this::onReport)
                .onMessage(Discard.class, m -> {
                    ScratchDirs.deleteLater(m.scratchDir(), blockingIo);
                    return this;
                })
                .onMessage(Uploaded.class, this::onUploaded)
                .onMessage(Answered.class, this::onAnswered)
                .onSignal(PostStop.class, s -> {
                    pending.values().forEach(p -> ScratchDirs.deleteLater(p.report.scratchDir(), blockingIo));
                    return this;
                })
                .build();
    }

    private Behavior<Command> onReport(Report m) {
        long id = ++nextId;
        Job job = m.job();
        Pending p = new Pending(m, JobEntity.entityRef(getContext().getSystem(), job.id()));
        pending.put(id, p);
        Outcome outcome = m.outcome();
        if (outcome instanceof Succeeded s && !s.artifacts().isEmpty()) {
            ArtifactUpload upload = new ArtifactUpload(job.id(), job.attempt(), configId, s.configVersion(), worker,
                    host.node(), m.scratchDir(), s.artifacts(), List.of());
            CompletionStage<List<String>> stored;
            try {
                stored = host.uploader().upload(upload);
            } catch (RuntimeException e) {
                stored = CompletableFuture.failedFuture(e);
            }
            getContext().pipeToSelf(stored, (ids, error) -> new Uploaded(id, ids, error));
            return this;
        }
        if (outcome instanceof Succeeded s) {
            p.command = complete(job, s.outputs(), List.of());
        } else if (outcome instanceof Failed f) {
            p.command = fail(job, f.error());
        } else {
            String node = host.node();
            p.command = r -> new JobEntity.CancelConfirmed(node, worker, job.attempt(), r);
        }
        send(id, p);
        return this;
    }

    private Behavior<Command> onUploaded(Uploaded m) {
        Pending p = pending.get(m.id());
        Job job = p.report.job();
        if (m.failure() == null) {
            p.command = complete(job, ((Succeeded) p.report.outcome()).outputs(), m.artifactIds());
            send(m.id(), p);
            return this;
        }
        Throwable cause = unwrap(m.failure());
        JobError error;
        if (cause instanceof SpindleException se && se.error().code() == ErrorCode.INVALID_REQUEST) {
            // Outputs outside the scratch dir, missing or declared twice: the worker's doing, a retry repeats it.
            error = JobError.permanent(WorkerErrors.ARTIFACT_REJECTED, se.getMessage());
        } else {
            error = JobError.transientError(WorkerErrors.ARTIFACT_UPLOAD_FAILED, "storing the outputs failed: " + cause.getMessage());
        }
        log.warn("worker {}: outputs of job {} attempt {} not stored: {}", worker, job.id(), job.attempt(), cause.getMessage());
        p.command = fail(job, error);
        send(m.id(), p);
        return this;
    }

    private Function<ActorRef<JobReply>, JobEntity.Command> complete(Job job, ObjectNode outputs, List<String> artifactIds) {
        String node = host.node();
        return r -> new JobEntity.Complete(node, worker, job.attempt(), outputs, artifactIds, r);
    }

    private Function<ActorRef<JobReply>, JobEntity.Command> fail(Job job, JobError error) {
        String node = host.node();
        return r -> new JobEntity.Fail(node, worker, job.attempt(), error, r);
    }

    private void send(long id, Pending p) {
        p.sent++;
        getContext().pipeToSelf(PekkoStages.direct(p.entity.ask(p.command::apply, host.askTimeout())),
                (reply, error) -> new Answered(id, reply, error));
    }

    private Behavior<Command> onAnswered(Answered m) {
        Pending p = pending.get(m.id());
        Job job = p.report.job();
        if (m.failure() != null) {
            if (p.sent < host.settings().reportAttempts()) {
                log.info("worker {}: job {} did not acknowledge the end of attempt {} ({}), sending it again",
                        worker, job.id(), job.attempt(), m.failure().toString());
                send(m.id(), p);
                return this;
            }
            log.warn("worker {}: job {} never acknowledged the end of attempt {}; its lease will run out", worker, job.id(), job.attempt());
        } else if (m.reply() instanceof JobReply.Rejected rejected) {
            log.info("worker {}: job {} refused the end of attempt {}: {}", worker, job.id(), job.attempt(), rejected.error().message());
        }
        pending.remove(m.id());
        ScratchDirs.deleteLater(p.report.scratchDir(), blockingIo);
        p.report.done().tell(p.report.token());
        return this;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
