package io.spindle.node.worker;

import io.micrometer.core.instrument.Counter;
import io.spindle.bridge.channel.ChannelClosed;
import io.spindle.bridge.channel.WorkerListener;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.Progress;
import io.spindle.node.artifact.DeclaredArtifact;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.metrics.SpindleMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises one worker OS process of a hosted config (docs/architecture.md, "Worker protocol"): spawns it on
 * its own Unix socket, waits for hello, then runs the attempts its dispatcher leased to it, one at a time,
 * relaying heartbeats and progress to the JobEntity (throttled; each one extends the lease and its answer
 * tells whether a cancel was requested). A worker that dies, hangs, overruns a deadline, ignores a cancel or
 * breaks the protocol is killed, its attempt fails transient, and a new process starts after an exponential
 * backoff. An attempt's end goes to an {@link AttemptReporter} child (outputs stored, entity told); the worker
 * is ready for its next job only once the entity has acknowledged that end, so a worker never holds two leases
 * and a slow artifact store slows taking instead of piling up scratch dirs.
 *
 * <p>Lifecycle: {@code starting} (spawned, waiting for hello) → {@code idle} ⇄ {@code busy}; any death →
 * {@code backoff} → {@code starting}. Each spawn is a new <em>generation</em>: events of an older process
 * (its last frames, its channel closing, its exit) carry their generation and are dropped.
 */
public final class WorkerProcess extends AbstractBehavior<WorkerProcess.Command> {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
    private static final String SPAWN_TIMER = "spawn";
    private static final String HELLO_TIMER = "hello";
    private static final String WATCHDOG_TIMER = "watchdog";
    private static final String DEADLINE_TIMER = "deadline";
    private static final String CANCEL_GRACE_TIMER = "cancel-grace";
    private static final String RELAY_TIMER = "relay";

    // ---- protocol ----------------------------------------------------------------------------

    public sealed interface Command {}

    /** Run the job's current attempt, which the dispatcher has leased to this worker. */
    public record Run(Job job) implements Command {}

    /** What a worker tells its dispatcher about itself. */
    public sealed interface Status {
        ActorRef<Command> worker();
    }

    /**
     * Connected and idle: ready for a Run. {@code runsReceived} counts the Runs this worker has received, so a
     * dispatcher that has sent more can tell that this Ready predates its latest Run.
     */
    public record Ready(ActorRef<Command> worker, long runsReceived) implements Status {}

    /** The idle process died and is being started again: send no Run until the next Ready. */
    public record Unavailable(ActorRef<Command> worker) implements Status {}

    private enum Spawn implements Command { INSTANCE }

    private enum Watchdog implements Command { INSTANCE }

    private record FromWorker(int generation, WorkerMessage message) implements Command {}

    private record ProtocolViolation(int generation, ProtocolException error) implements Command {}

    private record ChannelEnded(int generation, ChannelClosed closed) implements Command {}

    private record ProcessExited(int generation, int exitCode) implements Command {}

    private record HelloTimedOut(int generation) implements Command {}

    private record ConfigResolved(long runId, BridgeMessage.RunConfig config) implements Command {}

    private record DeadlineReached(long runId) implements Command {}

    private record CancelGraceExpired(long runId) implements Command {}

    private record RelayDue(long runId) implements Command {}

    /** The entity's answer to a Start, Heartbeat or ReportProgress of the running attempt. */
    private record EntityAnswered(long runId, JobReply reply, Throwable failure) implements Command {}

    /** The reporter is done with the attempt of this run id. */
    private record ReportDone(long runId) implements Command {}

    private enum State { STARTING, IDLE, BUSY, BACKOFF, STOPPED }

    // ---- setup -------------------------------------------------------------------------------

    /**
     * A worker process for {@code configId}, the {@code index}-th of its dispatcher (from 1); its name, the lease
     * holder and lineage worker, is {@link #workerName}.
     */
    public static Behavior<Command> create(String configId, int index, WorkerLaunch command, WorkerHost host,
                                           ActorRef<Status> dispatcher) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new WorkerProcess(ctx, timers, configId, index, command, host, dispatcher)));
    }

    /** {@code <configId>-w<index>}: unique on its node. */
    public static String workerName(String configId, int index) {
        return configId + "-w" + index;
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final String name;
    private final Path socket;
    private final WorkerLaunch command;
    private final WorkerHost host;
    private final WorkerSettings settings;
    private final ActorRef<Status> dispatcher;
    private final ActorRef<AttemptReporter.Command> reporter;
    private final ActorRef<Long> reportDone;
    private final Executor blockingIo;
    private final Map<State, AtomicLong> stateGauges = new EnumMap<>(State.class);
    private final Counter restarts;
    /** The job the process is running, for the prefix of its output lines (read by the output thread). */
    private final AtomicReference<String> jobForLog = new AtomicReference<>();

    private State state;
    private int generation;
    private SpawnedWorker process;
    private RunningJob current;
    /** The run whose end is being reported (0: none): until it is acknowledged the worker takes no job. */
    private long reporting;
    /** A Run that arrived while the process was (re)starting: it runs right after hello. */
    private Job pendingRun;
    private long runSeq;
    private long runsReceived;
    private int consecutiveFailures;
    private long lastFrameNanos;

    private WorkerProcess(ActorContext<Command> ctx, TimerScheduler<Command> timers, String configId, int index,
                          WorkerLaunch command, WorkerHost host, ActorRef<Status> dispatcher) {
        super(ctx);
        this.ctx = ctx;
        this.timers = timers;
        this.name = workerName(configId, index);
        this.socket = SpawnedWorker.socketPath(host.runDir(), configId, index);
        this.command = command;
        this.host = host;
        this.settings = host.settings();
        this.dispatcher = dispatcher;
        this.reporter = ctx.spawn(AttemptReporter.create(name, configId, host), "reporter");
        this.reportDone = ctx.messageAdapter(Long.class, ReportDone::new);
        this.blockingIo = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        SpindleMetrics metrics = SpindleMetrics.get(ctx.getSystem());
        for (State s : State.values()) {
            if (s != State.STOPPED) {
                stateGauges.put(s, metrics.settableGauge("spindle_workers", "Worker processes by state",
                        "config", configId, "state", s.name().toLowerCase(Locale.ROOT)));
            }
        }
        this.restarts = metrics.counter("spindle_worker_restarts",
                "Worker processes started again after they died, were killed or failed to start", "config", configId);
        timers.startTimerAtFixedRate(WATCHDOG_TIMER, Watchdog.INSTANCE, settings.watchdogInterval());
        spawn();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(FromWorker.class, this::onFromWorker)
                .onMessage(ConfigResolved.class, this::onConfigResolved)
                .onMessage(EntityAnswered.class, this::onEntityAnswered)
                .onMessage(ReportDone.class, this::onReportDone)
                .onMessage(RelayDue.class, this::onRelayDue)
                .onMessage(DeadlineReached.class, this::onDeadlineReached)
                .onMessage(CancelGraceExpired.class, this::onCancelGraceExpired)
                .onMessageEquals(Watchdog.INSTANCE, this::onWatchdog)
                .onMessage(HelloTimedOut.class, this::onHelloTimedOut)
                .onMessage(ProtocolViolation.class, this::onProtocolViolation)
                .onMessage(ChannelEnded.class, this::onChannelEnded)
                .onMessage(ProcessExited.class, this::onProcessExited)
                .onMessageEquals(Spawn.INSTANCE, () -> {
                    spawn();
                    return this;
                })
                .onSignal(PostStop.class, s -> onStopped())
                .onSignal(PreRestart.class, s -> onStopped())
                .build();
    }

    // ---- the process -------------------------------------------------------------------------

    private void spawn() {
        int gen = ++generation;
        setState(State.STARTING);
        ActorRef<Command> self = ctx.getSelf();
        WorkerListener listener = new WorkerListener() {
            @Override
            public void onMessage(WorkerMessage message) {
                self.tell(new FromWorker(gen, message));
            }

            @Override
            public void onProtocolError(ProtocolException error) {
                self.tell(new ProtocolViolation(gen, error));
            }

            @Override
            public void onClosed(ChannelClosed closed) {
                self.tell(new ChannelEnded(gen, closed));
            }
        };
        try {
            process = SpawnedWorker.spawn(name, socket, command, settings, listener,
                    exitCode -> self.tell(new ProcessExited(gen, exitCode)), jobForLog::get);
        } catch (IOException | RuntimeException e) {
            died(null, "cannot be started: " + e);
            return;
        }
        timers.startSingleTimer(HELLO_TIMER, new HelloTimedOut(gen), settings.helloTimeout());
    }

    /**
     * The process is gone or must go: kill it, fail the attempt it was running with {@code error} (null: nothing
     * to report), and start a new process after the backoff.
     */
    private void died(JobError error, String why) {
        State was = state;
        boolean wasReady = isReady();
        generation++; // whatever the old process still sends is dropped from here on
        timers.cancel(HELLO_TIMER);
        if (process != null) {
            process.kill();
            process = null;
        }
        consecutiveFailures++;
        Duration delay = settings.restartDelay(consecutiveFailures);
        log.warn("worker {} {}{}; starting it again in {} ms", name, why,
                current == null ? "" : " (running job " + current.jobId() + " attempt " + current.attempt() + ")", delay.toMillis());
        if (current != null) {
            RunningJob run = current;
            endRun();
            if (error != null) {
                finish(run, new AttemptReporter.Failed(error));
            } else {
                reporter.tell(new AttemptReporter.Discard(run.scratchDir));
            }
        }
        if (pendingRun != null && was == State.STARTING) {
            // The process did not come up: the attempt goes back to the queue rather than wait for another try.
            failUnstarted(pendingRun, JobError.transientError(WorkerErrors.WORKER_UNAVAILABLE, "worker " + name + " " + why));
            pendingRun = null;
        }
        if (wasReady) {
            dispatcher.tell(new Unavailable(ctx.getSelf()));
        }
        restarts.increment();
        setState(State.BACKOFF);
        timers.startSingleTimer(SPAWN_TIMER, Spawn.INSTANCE, delay);
    }

    /** Stopped, or restarted by the supervisor: the process is asked to exit and killed after the stop grace. */
    private Behavior<Command> onStopped() {
        JobError stopped = JobError.transientError(WorkerErrors.WORKER_STOPPED, "worker " + name + " was stopped");
        if (current != null) {
            // Fire and forget (this actor is gone): the attempt is retried now instead of when its lease runs out.
            if (!current.abandoned) {
                current.entity.tell(new JobEntity.Fail(host.node(), name, current.attempt(), stopped, ctx.getSystem().ignoreRef()));
            }
            ScratchDirs.deleteLater(current.scratchDir, blockingIo);
            current = null;
        }
        if (pendingRun != null) {
            JobEntity.entityRef(ctx.getSystem(), pendingRun.id())
                    .tell(new JobEntity.Fail(host.node(), name, pendingRun.attempt(), stopped, ctx.getSystem().ignoreRef()));
            pendingRun = null;
        }
        if (process != null) {
            process.shutdown(settings.stopGrace());
            process = null;
        }
        setState(State.STOPPED);
        return this;
    }

    // ---- runs --------------------------------------------------------------------------------

    private Behavior<Command> onRun(Run m) {
        runsReceived++;
        Job job = m.job();
        if (isReady()) {
            startRun(job);
        } else if ((state == State.STARTING || state == State.BACKOFF) && pendingRun == null) {
            log.debug("worker {} is {}, job {} runs once it is up", name, state, job.id());
            pendingRun = job;
        } else {
            log.error("worker {} got job {} while {} with another job: the dispatcher lost track; failing it transient",
                    name, job.id(), state);
            failUnstarted(job, JobError.transientError(WorkerErrors.WORKER_BUSY, "worker " + name + " is busy with another job"));
        }
        return this;
    }

    private void startRun(Job job) {
        RunningJob run = new RunningJob(++runSeq, job, JobEntity.entityRef(ctx.getSystem(), job.id()),
                settings.relayInterval().toNanos());
        try {
            run.scratchDir = ScratchDirs.create(host.scratchRoot(), job.id(), job.attempt());
        } catch (IOException | RuntimeException e) {
            log.error("worker {}: cannot create a scratch dir for job {}: {}", name, job.id(), e.toString());
            failUnstarted(job, JobError.transientError(WorkerErrors.SCRATCH_DIR_UNAVAILABLE, "cannot create a scratch dir: " + e));
            becomeIdle();
            return;
        }
        current = run;
        jobForLog.set(job.id());
        lastFrameNanos = System.nanoTime();
        setState(State.BUSY);
        // Start is journaled while the config is looked up and the worker runs: the entity handles our
        // commands in order, so a quick Complete still lands after it.
        askEntity(run, r -> new JobEntity.Start(host.node(), name, run.attempt(), r));
        ctx.pipeToSelf(host.runConfigs().forJob(job), (config, error) -> new ConfigResolved(run.runId,
                config != null ? config : new BridgeMessage.RunConfig(job.configId(), 0, null)));
    }

    private Behavior<Command> onConfigResolved(ConfigResolved m) {
        RunningJob run = currentRun(m.runId());
        if (run == null) {
            return this;
        }
        run.config = m.config();
        if (run.abandoned) {
            // The lease was lost before the worker even started: nothing to stop, nothing to report.
            endRun();
            reporter.tell(new AttemptReporter.Discard(run.scratchDir));
            becomeIdle();
            return this;
        }
        Job job = run.job;
        Duration timeout = Duration.ofSeconds(job.timeoutSeconds());
        BridgeMessage.Run frame = new BridgeMessage.Run(job.id(), job.type(), job.input(), run.config, job.attempt(),
                run.scratchDir.toString(), Instant.now().plus(timeout).toEpochMilli());
        try {
            if (!process.send(frame)) {
                log.warn("worker {}: connection gone before job {} could be sent; its end fails the attempt", name, job.id());
            }
        } catch (ProtocolException e) {
            endRun();
            finish(run, new AttemptReporter.Failed(JobError.permanent(WorkerErrors.INPUT_TOO_LARGE, "the run frame is too large: " + e.getMessage())));
            becomeIdle();
            return this;
        }
        run.frameSent = true;
        lastFrameNanos = System.nanoTime();
        timers.startSingleTimer(DEADLINE_TIMER, new DeadlineReached(run.runId), timeout);
        if (run.cancelRequested) {
            sendCancel(run);
        }
        return this;
    }

    private Behavior<Command> onFromWorker(FromWorker m) {
        if (m.generation() != generation) {
            return this;
        }
        lastFrameNanos = System.nanoTime();
        WorkerMessage message = m.message();
        if (message instanceof WorkerMessage.Hello hello) {
            onHello(hello);
            return this;
        }
        if (message instanceof WorkerMessage.Log l) {
            WorkerOutput.frame(name, l.jobId(), l.level(), l.message());
            return this;
        }
        RunningJob run = current;
        if (run == null || !run.frameSent || !run.jobId().equals(message.jobId())) {
            log.debug("worker {}: ignoring {} for job {}, which it is not running", name, message.getClass().getSimpleName(), message.jobId());
        } else if (message instanceof WorkerMessage.Heartbeat) {
            relay(run, null);
        } else if (message instanceof WorkerMessage.Progress p) {
            relay(run, new Progress(p.percent(), p.message(), Instant.now()));
        } else if (message instanceof WorkerMessage.Result result) {
            answered(run);
            java.util.List<DeclaredArtifact> declared = result.artifacts().stream()
                    .map(a -> new DeclaredArtifact(a.path(), a.kind(), a.mime())).toList();
            finish(run, new AttemptReporter.Succeeded(result.outputs(), declared, run.configVersion()));
            becomeIdle();
        } else if (message instanceof WorkerMessage.Error error) {
            answered(run);
            finish(run, error.isCanceled() && run.cancelSent
                    ? AttemptReporter.CancelConfirmed.INSTANCE
                    : new AttemptReporter.Failed(new JobError(error.code(), error.message(), error.isTransient())));
            becomeIdle();
        }
        return this;
    }

    private void onHello(WorkerMessage.Hello hello) {
        if (state != State.STARTING) {
            log.warn("worker {} said hello again while {}; ignored", name, state);
            return;
        }
        timers.cancel(HELLO_TIMER);
        log.info("worker {} is up: {} {} (pid {}) serving {}", name, hello.name(), hello.version(), hello.pid(), hello.jobTypes());
        if (pendingRun != null) {
            Job job = pendingRun;
            pendingRun = null;
            setState(State.IDLE);
            startRun(job);
        } else {
            becomeIdle();
        }
    }

    /** The worker answered the running attempt: it is healthy, and its process idle. */
    private void answered(RunningJob run) {
        consecutiveFailures = 0;
        endRun();
    }

    /**
     * Hands the ended attempt to the reporter; the worker is ready for its next job once the end is acknowledged.
     * An abandoned attempt (lease lost) only has its scratch dir deleted.
     */
    private void finish(RunningJob run, AttemptReporter.Outcome outcome) {
        if (run.abandoned) {
            reporter.tell(new AttemptReporter.Discard(run.scratchDir));
        } else {
            reporting = run.runId;
            reporter.tell(new AttemptReporter.Report(run.job, run.scratchDir, outcome, run.runId, reportDone));
        }
    }

    /** Fails an attempt this worker holds the lease of but never ran; it does not hold up the worker. */
    private void failUnstarted(Job job, JobError error) {
        reporter.tell(new AttemptReporter.Report(job, null, new AttemptReporter.Failed(error), 0, reportDone));
    }

    private Behavior<Command> onReportDone(ReportDone m) {
        if (m.runId() != 0 && m.runId() == reporting) {
            reporting = 0;
            if (state == State.IDLE) {
                dispatcher.tell(new Ready(ctx.getSelf(), runsReceived));
            }
        }
        return this;
    }

    private void endRun() {
        current = null;
        jobForLog.set(null);
        timers.cancel(DEADLINE_TIMER);
        timers.cancel(CANCEL_GRACE_TIMER);
        timers.cancel(RELAY_TIMER);
    }

    /** The process is idle; the dispatcher hears of it unless an attempt's end is still being reported. */
    private void becomeIdle() {
        setState(State.IDLE);
        if (reporting == 0) {
            dispatcher.tell(new Ready(ctx.getSelf(), runsReceived));
        }
    }

    // ---- heartbeats, progress, cancel ----------------------------------------------------------

    /** Relays proof of life (and the latest progress) to the entity, at most once per relay interval. */
    private void relay(RunningJob run, Progress progress) {
        if (run.abandoned) {
            return;
        }
        Duration wait = run.offerRelay(progress, System.nanoTime(), settings.relayInterval());
        if (wait.isZero()) {
            sendRelay(run);
        } else if (!timers.isTimerActive(RELAY_TIMER)) {
            timers.startSingleTimer(RELAY_TIMER, new RelayDue(run.runId), wait);
        }
    }

    private Behavior<Command> onRelayDue(RelayDue m) {
        RunningJob run = currentRun(m.runId());
        if (run != null && run.relayPending && !run.abandoned) {
            sendRelay(run);
        }
        return this;
    }

    private void sendRelay(RunningJob run) {
        timers.cancel(RELAY_TIMER);
        Progress progress = run.takeRelay(System.nanoTime());
        String node = host.node();
        if (progress == null) {
            askEntity(run, r -> new JobEntity.Heartbeat(node, name, run.attempt(), null, r));
        } else {
            askEntity(run, r -> new JobEntity.ReportProgress(node, name, run.attempt(), progress, r));
        }
    }

    private void askEntity(RunningJob run, Function<ActorRef<JobReply>, JobEntity.Command> command) {
        ctx.pipeToSelf(PekkoStages.direct(run.entity.ask(command::apply, host.askTimeout())),
                (reply, error) -> new EntityAnswered(run.runId, reply, error));
    }

    /** The entity's view tells whether a cancel was requested; a refusal means the lease is no longer ours. */
    private Behavior<Command> onEntityAnswered(EntityAnswered m) {
        RunningJob run = currentRun(m.runId());
        if (run == null) {
            return this;
        }
        if (m.failure() != null) {
            log.debug("worker {}: job {} did not answer in time: {}", name, run.jobId(), m.failure().toString());
        } else if (m.reply() instanceof JobReply.Accepted accepted) {
            if (accepted.job().cancelRequested()) {
                requestCancel(run);
            }
        } else if (m.reply() instanceof JobReply.Rejected rejected && !run.abandoned) {
            log.info("worker {}: lost the lease of job {} attempt {} ({}), stopping it", name, run.jobId(), run.attempt(),
                    rejected.error().message());
            run.abandoned = true;
            requestCancel(run);
        }
        return this;
    }

    private void requestCancel(RunningJob run) {
        if (run.cancelRequested) {
            return;
        }
        run.cancelRequested = true;
        if (run.frameSent) {
            sendCancel(run);
        }
    }

    private void sendCancel(RunningJob run) {
        log.info("worker {}: canceling job {} attempt {}", name, run.jobId(), run.attempt());
        try {
            process.send(new BridgeMessage.Cancel(run.jobId()));
        } catch (ProtocolException impossible) {
            log.warn("worker {}: cancel frame not sent: {}", name, impossible.getMessage());
        }
        run.cancelSent = true;
        timers.startSingleTimer(CANCEL_GRACE_TIMER, new CancelGraceExpired(run.runId), settings.cancelGrace());
    }

    // ---- watchdogs ---------------------------------------------------------------------------

    private Behavior<Command> onDeadlineReached(DeadlineReached m) {
        RunningJob run = currentRun(m.runId());
        if (run != null) {
            died(new JobError(WorkerErrors.DEADLINE_EXCEEDED, "job " + run.jobId() + " ran past its timeout of " + run.job.timeoutSeconds() + "s",
                    settings.deadlineExceededTransient()), "ran past the job's deadline and is killed");
        }
        return this;
    }

    private Behavior<Command> onCancelGraceExpired(CancelGraceExpired m) {
        RunningJob run = currentRun(m.runId());
        if (run != null) {
            // The entity ends an attempt whose cancel was requested as canceled, whatever the error says.
            died(JobError.transientError(WorkerErrors.CANCEL_UNANSWERED, "the worker did not stop within " + settings.cancelGrace()),
                    "did not answer a cancel within " + settings.cancelGrace() + " and is killed");
        }
        return this;
    }

    private Behavior<Command> onWatchdog() {
        if (state == State.BUSY && current != null && current.frameSent) {
            Duration silent = Duration.ofNanos(System.nanoTime() - lastFrameNanos);
            if (silent.compareTo(settings.unresponsiveAfter()) > 0) {
                died(JobError.transientError(WorkerErrors.WORKER_UNRESPONSIVE, "worker " + name + " sent nothing for " + silent.toMillis() + " ms"),
                        "sent nothing for " + silent.toMillis() + " ms and is killed");
            }
        }
        return this;
    }

    private Behavior<Command> onHelloTimedOut(HelloTimedOut m) {
        if (m.generation() == generation && state == State.STARTING) {
            died(null, "did not say hello within " + settings.helloTimeout());
        }
        return this;
    }

    private Behavior<Command> onProtocolViolation(ProtocolViolation m) {
        if (m.generation() == generation) {
            died(JobError.transientError(WorkerErrors.WORKER_PROTOCOL_ERROR, "the worker broke the protocol: " + m.error().getMessage()),
                    "broke the protocol (" + m.error().getMessage() + ") and is killed");
        }
        return this;
    }

    private Behavior<Command> onChannelEnded(ChannelEnded m) {
        if (m.generation() == generation && isUp()) {
            String exit = process == null ? "" : process.exitDescription();
            died(JobError.transientError(WorkerErrors.WORKER_CRASHED, "the worker process went away (" + m.closed().detail() + exit + ")"),
                    "went away (" + m.closed().reason() + ": " + m.closed().detail() + exit + ")");
        }
        return this;
    }

    private Behavior<Command> onProcessExited(ProcessExited m) {
        if (m.generation() == generation && isUp()) {
            died(JobError.transientError(WorkerErrors.WORKER_CRASHED, "the worker process exited with code " + m.exitCode()),
                    "exited with code " + m.exitCode());
        }
        return this;
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** What the dispatcher believes after our last Ready: the process is idle and holds no lease. */
    private boolean isReady() {
        return state == State.IDLE && reporting == 0;
    }

    private boolean isUp() {
        return state == State.STARTING || state == State.IDLE || state == State.BUSY;
    }

    private RunningJob currentRun(long runId) {
        RunningJob run = current;
        return run != null && run.runId == runId ? run : null;
    }

    private void setState(State next) {
        if (state != null && state != State.STOPPED) {
            stateGauges.get(state).decrementAndGet();
        }
        state = next;
        if (next != State.STOPPED) {
            stateGauges.get(next).incrementAndGet();
        }
    }
}
