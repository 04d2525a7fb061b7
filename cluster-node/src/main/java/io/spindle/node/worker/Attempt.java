package io.spindle.node.worker;

import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.Progress;
import io.spindle.node.artifact.DeclaredArtifact;
import io.spindle.node.artifact.InputFetcher;
import io.spindle.node.artifact.InputReferences;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.metrics.SpindleMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one job on one worker, from the Run its {@link WorkerProcess} received until the job's entity has
 * heard how it ended: a short-lived child of the WorkerProcess, and the one actor that talks to the entity about
 * the attempt (Start, heartbeats and progress, and through {@link AttemptReport} Complete, Fail or CancelConfirmed).
 *
 * <p>Phases: {@code waiting} for the process to come up → {@code preparing} (scratch dir, Start, the run's config,
 * the artifacts the input references fetched into the scratch dir by {@link InputFetcher}, with heartbeats meanwhile)
 * → {@code running} (the run frame went out; the deadline, a cancel and the worker's silence are watched here) →
 * reporting. As soon as the worker answers, the process is handed back ({@link WorkerProcess.ProcessFree}) so it can
 * take its next job while this one is still being reported; a worker past its deadline, deaf to a cancel or silent
 * for too long is killed through {@link WorkerProcess.KillProcess}.
 */
final class Attempt {
    private static final Logger log = LoggerFactory.getLogger(Attempt.class);
    private static final String RELAY_TIMER = "relay";
    private static final String DEADLINE_TIMER = "deadline";
    private static final String CANCEL_GRACE_TIMER = "cancel-grace";
    private static final String WATCHDOG_TIMER = "watchdog";
    private static final String FETCH_HEARTBEAT_TIMER = "fetch-heartbeat";

    sealed interface Command {}

    /** The worker process is up and idle: the attempt runs on it. */
    record Begin(SpawnedWorker process) implements Command {}

    /** A frame the process sent while it ran this attempt (any frame is proof of life). */
    record FromWorker(WorkerMessage message) implements Command {}

    /** The attempt cannot go on here (its process died, never came up, or is busy): it fails with {@code error}. */
    record Abort(JobError error) implements Command {}

    /** The entity's answer to Start, a heartbeat or progress. */
    private record EntityAnswered(JobReply reply, Throwable failure) implements Command {}

    private record ConfigResolved(BridgeMessage.RunConfig config) implements Command {}

    /** The input artifacts are in the scratch dir ({@code input} is the run's input), or could not be fetched. */
    private record InputsFetched(InputFetcher.RunInput input, Throwable failure) implements Command {}

    private enum Tick implements Command { RELAY, DEADLINE, CANCEL_GRACE, WATCHDOG, FETCH_HEARTBEAT }

    /** The outputs are stored (their artifact ids) or could not be: reporting, see {@link AttemptReport}. */
    record Uploaded(List<String> artifactIds, Throwable failure) implements Command {}

    /** The entity's answer to how the attempt ended: reporting, see {@link AttemptReport}. */
    record Reported(JobReply reply, Throwable failure) implements Command {}

    /** Whether the attempt is still ours to run, as the entity's answers tell. Only ever moves down the list. */
    private enum Lease {
        HELD,
        /** Someone asked for the job to be canceled: the worker is told to stop, its end is still reported. */
        CANCEL_REQUESTED,
        /** The entity refused us (the lease ran out or went elsewhere): the worker is stopped, nothing is reported. */
        LOST
    }

    /** The attempt of {@code job} (leased to {@code worker}); it waits for a {@link Begin} or an {@link Abort}. */
    static Behavior<Command> create(Job job, String worker, String configId, WorkerHost host, ActorRef<WorkerProcess.Command> parent) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Attempt(ctx, timers, job, worker, configId, host, parent).waiting()));
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final Job job;
    private final String worker;
    private final String configId;
    private final WorkerHost host;
    private final WorkerSettings settings;
    private final ActorRef<WorkerProcess.Command> parent;
    /** The job's entity: every command about this attempt goes through here. */
    private final EntityRef<JobEntity.Command> entity;
    private final Executor blockingIo;
    private Lease lease = Lease.HELD;
    /** Null until created. */
    private Path scratchDir;
    /** Both null until resolved while preparing; the run frame goes out once both are. */
    private BridgeMessage.RunConfig runConfig;
    private InputFetcher.RunInput runInput;
    private boolean cancelSent;
    private long lastFrameNanos;
    private long lastRelayNanos;
    /** A heartbeat or progress arrived since the last relay to the entity. */
    private boolean relayPending;
    private Progress pendingProgress;

    private Attempt(ActorContext<Command> ctx, TimerScheduler<Command> timers, Job job, String worker, String configId,
                    WorkerHost host, ActorRef<WorkerProcess.Command> parent) {
        this.ctx = ctx;
        this.timers = timers;
        this.job = job;
        this.worker = worker;
        this.configId = configId;
        this.host = host;
        this.settings = host.settings();
        this.parent = parent;
        this.entity = JobEntity.entityRef(ctx.getSystem(), job.id());
        this.blockingIo = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.lastRelayNanos = System.nanoTime() - settings.relayInterval().toNanos(); // the first heartbeat goes out at once
    }

    // ---- phases --------------------------------------------------------------------------------

    private Behavior<Command> waiting() {
        return Behaviors.receive(Command.class)
                .onMessage(Begin.class, m -> prepare(m.process()))
                .onMessage(Abort.class, m -> ended(new AttemptReport.Failed(m.error())))
                .onSignal(PostStop.class, s -> stoppedEarly())
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private Behavior<Command> prepare(SpawnedWorker process) {
        try {
            scratchDir = ScratchDirs.create(host.runDir(), host.scratchRoot(), worker, job.id(), job.attempt());
        } catch (IOException | RuntimeException e) {
            log.error("worker {}: cannot create a scratch dir for job {}: {}", worker, job.id(), e.toString());
            release(false);
            return ended(new AttemptReport.Failed(JobError.transientError(WorkerErrors.SCRATCH_DIR_UNAVAILABLE,
                    "cannot create a scratch dir: " + e)));
        }
        // A dispatcher leases for an idle worker with start, so the job is usually running already. Otherwise Start
        // is journaled while the config is looked up and the worker runs: the entity handles our commands in order,
        // so a quick Complete still lands after it.
        if (job.status() != JobStatus.RUNNING) {
            askEntity(r -> new JobEntity.Start(host.node(), worker, job.attempt(), r));
        }
        // Counted here, on the node that runs the attempt, whichever node the job's entity lives on.
        SpindleMetrics.get(ctx.getSystem()).attemptStarted(job, job.startedAt() != null ? job.startedAt() : Instant.now());
        CompletableFuture<BridgeMessage.RunConfig> config = host.runConfigs().forJob(job).toCompletableFuture();
        if (config.isDone() && !config.isCompletedExceptionally()) {
            runConfig = orUnresolved(config.join()); // cached: no round trip through the mailbox before the run frame
        } else {
            ctx.pipeToSelf(config, (resolved, error) -> new ConfigResolved(orUnresolved(resolved)));
        }
        fetchInputs();
        if (runConfig != null && runInput != null) {
            return run(process, runConfig, runInput);
        }
        return Behaviors.receive(Command.class)
                .onMessage(ConfigResolved.class, m -> {
                    runConfig = m.config();
                    return runWhenPrepared(process);
                })
                .onMessage(InputsFetched.class, m -> {
                    if (m.failure() != null) {
                        release(false);
                        return ended(new AttemptReport.Failed(inputError(m.failure())));
                    }
                    runInput = m.input();
                    return runWhenPrepared(process);
                })
                .onMessageEquals(Tick.FETCH_HEARTBEAT, () -> {
                    if (lease != Lease.LOST) {
                        sendRelay(); // downloading big inputs must not let the lease run out
                    }
                    return Behaviors.same();
                })
                .onMessage(EntityAnswered.class, m -> {
                    onEntityAnswered(m); // a cancel goes out with the run frame
                    return Behaviors.same();
                })
                .onMessage(Abort.class, m -> ended(new AttemptReport.Failed(m.error())))
                .onSignal(PostStop.class, s -> stoppedEarly())
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    /** The config as resolved, or the job's config id alone when it could not be (the worker runs on its defaults). */
    private BridgeMessage.RunConfig orUnresolved(BridgeMessage.RunConfig resolved) {
        return resolved != null ? resolved : new BridgeMessage.RunConfig(job.configId(), 0, null);
    }

    /**
     * Fetches the artifacts the job's input references, heartbeating meanwhile; an input without references (or a
     * host that fetches none, in tests) goes to the worker as it is.
     */
    private void fetchInputs() {
        if (host.inputs() == null || InputReferences.artifactIds(job.input()).isEmpty()) {
            runInput = InputFetcher.RunInput.plain(job.input());
            return;
        }
        timers.startTimerAtFixedRate(FETCH_HEARTBEAT_TIMER, Tick.FETCH_HEARTBEAT, settings.relayInterval());
        ctx.pipeToSelf(host.inputs().fetch(job.input(), scratchDir), InputsFetched::new);
    }

    private Behavior<Command> runWhenPrepared(SpawnedWorker process) {
        if (runConfig == null || runInput == null) {
            return Behaviors.same();
        }
        timers.cancel(FETCH_HEARTBEAT_TIMER);
        return run(process, runConfig, runInput);
    }

    /** An artifact that has vanished cannot come back: permanent; anything else may work on the next attempt. */
    private JobError inputError(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        log.warn("worker {}: inputs of job {} attempt {} not fetched: {}", worker, job.id(), job.attempt(), cause.getMessage());
        if (cause instanceof SpindleException se && se.error().code() == ErrorCode.ARTIFACT_NOT_FOUND) {
            return JobError.permanent(WorkerErrors.INPUT_ARTIFACT_MISSING, se.getMessage());
        }
        return JobError.transientError(WorkerErrors.INPUT_FETCH_FAILED, "fetching the input artifacts failed: " + cause.getMessage());
    }

    private Behavior<Command> run(SpawnedWorker process, BridgeMessage.RunConfig config, InputFetcher.RunInput input) {
        if (lease == Lease.LOST) {
            // The lease was lost before the worker even started: nothing to stop, nothing to report.
            release(false);
            return ended(null);
        }
        Duration timeout = Duration.ofSeconds(job.timeoutSeconds());
        BridgeMessage.Run frame = new BridgeMessage.Run(job.id(), job.type(), input.input(), config, job.attempt(),
                scratchDir.toString(), Instant.now().plus(timeout).toEpochMilli());
        try {
            if (!process.send(frame)) {
                log.warn("worker {}: connection gone before job {} could be sent; its end fails the attempt", worker, job.id());
            }
        } catch (ProtocolException e) {
            release(false);
            return ended(new AttemptReport.Failed(JobError.permanent(WorkerErrors.INPUT_TOO_LARGE,
                    "the run frame is too large: " + e.getMessage())));
        }
        lastFrameNanos = System.nanoTime();
        timers.startSingleTimer(DEADLINE_TIMER, Tick.DEADLINE, timeout);
        timers.startTimerAtFixedRate(WATCHDOG_TIMER, Tick.WATCHDOG, settings.watchdogInterval());
        if (lease != Lease.HELD) {
            sendCancel(process);
        }
        // The version the attempt runs on, for lineage: the resolved one, else the job's.
        Integer configVersion = config.version() > 0 ? config.version() : job.configVersion();
        return running(process, configVersion);
    }

    private Behavior<Command> running(SpawnedWorker process, Integer configVersion) {
        return Behaviors.receive(Command.class)
                .onMessage(FromWorker.class, m -> onFrame(m.message(), configVersion))
                .onMessage(EntityAnswered.class, m -> {
                    onEntityAnswered(m);
                    if (lease != Lease.HELD && !cancelSent) {
                        sendCancel(process);
                    }
                    return Behaviors.same();
                })
                .onMessageEquals(Tick.RELAY, () -> {
                    if (relayPending && lease != Lease.LOST) {
                        sendRelay();
                    }
                    return Behaviors.same();
                })
                .onMessageEquals(Tick.DEADLINE, () -> killed(new JobError(WorkerErrors.DEADLINE_EXCEEDED,
                        "job " + job.id() + " ran past its timeout of " + job.timeoutSeconds() + "s", settings.deadlineExceededTransient()),
                        "ran past the job's deadline and is killed"))
                // The entity ends an attempt whose cancel was requested as canceled, whatever the error says.
                .onMessageEquals(Tick.CANCEL_GRACE, () -> killed(JobError.transientError(WorkerErrors.CANCEL_UNANSWERED,
                        "the worker did not stop within " + settings.cancelGrace()),
                        "did not answer a cancel within " + settings.cancelGrace() + " and is killed"))
                .onMessageEquals(Tick.WATCHDOG, this::onWatchdog)
                .onMessage(Abort.class, m -> ended(new AttemptReport.Failed(m.error())))
                .onSignal(PostStop.class, s -> stoppedEarly())
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private Behavior<Command> onFrame(WorkerMessage message, Integer configVersion) {
        lastFrameNanos = System.nanoTime();
        if (message instanceof WorkerMessage.Log || message instanceof WorkerMessage.Hello) {
            return Behaviors.same(); // proof of life; the WorkerProcess logs them
        }
        if (!job.id().equals(message.jobId())) {
            log.debug("worker {}: ignoring {} for job {}, which it is not running", worker, message.getClass().getSimpleName(), message.jobId());
            return Behaviors.same();
        }
        if (message instanceof WorkerMessage.Heartbeat) {
            relay(null);
        } else if (message instanceof WorkerMessage.Progress p) {
            relay(new Progress(p.percent(), p.message(), Instant.now()));
        } else if (message instanceof WorkerMessage.Result result) {
            release(true);
            List<DeclaredArtifact> declared = result.artifacts().stream()
                    .map(a -> new DeclaredArtifact(a.path(), a.kind(), a.mime())).toList();
            return ended(new AttemptReport.Succeeded(result.outputs(), declared, configVersion, runInput.artifactIds()));
        } else if (message instanceof WorkerMessage.Error error) {
            release(true);
            return ended(error.isCanceled() && cancelSent
                    ? AttemptReport.CancelConfirmed.INSTANCE
                    : new AttemptReport.Failed(new JobError(error.code(), error.message(), error.isTransient())));
        }
        return Behaviors.same();
    }

    private Behavior<Command> onWatchdog() {
        Duration silent = Duration.ofNanos(System.nanoTime() - lastFrameNanos);
        if (silent.compareTo(settings.unresponsiveAfter()) <= 0) {
            return Behaviors.same();
        }
        return killed(JobError.transientError(WorkerErrors.WORKER_UNRESPONSIVE, "worker " + worker + " sent nothing for " + silent.toMillis() + " ms"),
                "sent nothing for " + silent.toMillis() + " ms and is killed");
    }

    /** The worker must not go on: its process is killed, and the attempt ends with {@code error}. */
    private Behavior<Command> killed(JobError error, String why) {
        parent.tell(new WorkerProcess.KillProcess(ctx.getSelf(), why));
        return ended(new AttemptReport.Failed(error));
    }

    /**
     * The worker is done with the attempt (or the attempt with the worker): how it ended goes to the entity, unless
     * the lease is lost ({@code outcome} null: nothing to tell). The scratch dir is deleted in the end either way.
     */
    private Behavior<Command> ended(AttemptReport.Outcome outcome) {
        timers.cancelAll();
        if (lease == Lease.LOST || outcome == null) {
            return Behaviors.stopped(); // PostStop deletes the scratch dir
        }
        return AttemptReport.create(ctx, entity, job, worker, configId, host, scratchDir, outcome);
    }

    /** The process no longer runs this attempt; {@code answered}: because the worker answered it. */
    private void release(boolean answered) {
        parent.tell(new WorkerProcess.ProcessFree(ctx.getSelf(), answered));
    }

    /**
     * Stopped (node shutdown) before the end was reported: the lease is given back now instead of when it runs out,
     * without spending an attempt (the job did nothing wrong), so it runs again at once on a node that serves it.
     */
    private Behavior<Command> stoppedEarly() {
        if (lease != Lease.LOST) {
            entity.tell(new JobEntity.ReleaseLease(host.node(), worker, job.attempt(), "worker " + worker + " was stopped",
                    ctx.getSystem().ignoreRef()));
        }
        ScratchDirs.deleteLater(scratchDir, blockingIo);
        return Behaviors.same();
    }

    // ---- heartbeats, progress, cancel ------------------------------------------------------------

    /** Relays proof of life ({@code progress} null) or progress to the entity, at most once per relay interval. */
    private void relay(Progress progress) {
        if (lease == Lease.LOST) {
            return;
        }
        relayPending = true;
        if (progress != null) {
            pendingProgress = progress;
        }
        long wait = settings.relayInterval().toNanos() - (System.nanoTime() - lastRelayNanos);
        if (wait <= 0) {
            sendRelay();
        } else if (!timers.isTimerActive(RELAY_TIMER)) {
            timers.startSingleTimer(RELAY_TIMER, Tick.RELAY, Duration.ofNanos(wait));
        }
    }

    private void sendRelay() {
        timers.cancel(RELAY_TIMER);
        Progress progress = pendingProgress;
        pendingProgress = null;
        relayPending = false;
        lastRelayNanos = System.nanoTime();
        String node = host.node();
        if (progress == null) {
            askEntity(r -> new JobEntity.Heartbeat(node, worker, job.attempt(), null, r));
        } else {
            askEntity(r -> new JobEntity.ReportProgress(node, worker, job.attempt(), progress, r));
        }
    }

    private void askEntity(Function<ActorRef<JobReply>, JobEntity.Command> command) {
        ctx.pipeToSelf(PekkoStages.direct(entity.ask(command::apply, host.askTimeout())), EntityAnswered::new);
    }

    /** The entity's view tells whether a cancel was requested; a refusal means the lease is no longer ours. */
    private void onEntityAnswered(EntityAnswered m) {
        if (m.failure() != null) {
            log.debug("worker {}: job {} did not answer in time: {}", worker, job.id(), m.failure().toString());
        } else if (m.reply() instanceof JobReply.Accepted accepted) {
            if (accepted.job().cancelRequested() && lease == Lease.HELD) {
                lease = Lease.CANCEL_REQUESTED;
            }
        } else if (m.reply() instanceof JobReply.Rejected rejected && lease != Lease.LOST) {
            log.info("worker {}: lost the lease of job {} attempt {} ({}), stopping it", worker, job.id(), job.attempt(),
                    rejected.error().message());
            lease = Lease.LOST;
        }
    }

    private void sendCancel(SpawnedWorker process) {
        log.info("worker {}: canceling job {} attempt {}", worker, job.id(), job.attempt());
        try {
            process.send(new BridgeMessage.Cancel(job.id()));
        } catch (ProtocolException impossible) {
            log.warn("worker {}: cancel frame not sent: {}", worker, impossible.getMessage());
        }
        cancelSent = true;
        timers.startSingleTimer(CANCEL_GRACE_TIMER, Tick.CANCEL_GRACE, settings.cancelGrace());
    }
}
