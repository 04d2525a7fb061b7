package io.spindle.node.worker;

import io.spindle.bridge.protocol.WorkerMessage;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.worker.ProcessSignal.Death;
import io.spindle.node.worker.WorkerGauges.State;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises one worker OS process of a hosted config (docs/architecture.md, "Worker protocol"): spawns it
 * on its own Unix socket, waits for hello, then runs the attempts its dispatcher leases to it, one at a time, each
 * in an {@link Attempt} child that owns everything about that attempt. A process that dies or breaks the protocol
 * is killed, its attempt told so (it fails transient), and a new process starts after an exponential backoff; the
 * attempt itself has the process killed when the worker overruns its deadline, ignores a cancel or falls silent.
 *
 * <p>Behaviours: {@code starting} (spawned, waiting for hello) → {@code idle} ⇄ {@code busy}; any death →
 * {@code backoff} → {@code starting}. Each spawn has a new number: signals of an older process (its last frames, its
 * channel closing, its exit) carry theirs and are dropped.
 *
 * <p>Pipelining: a worker whose attempt has ended is idle at once and asks its dispatcher for its next job while
 * that attempt's outputs are still being stored and its end journaled, as long as no more than
 * {@code spindle.workers.prefetch} ended attempts of it are being reported. So a worker does not idle through
 * bookkeeping, yet holds at most 1 + prefetch leases, and a slow journal or artifact store slows taking instead of
 * piling up scratch dirs.
 */
public final class WorkerProcess {

    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
    private static final String SPAWN_TIMER = "spawn";
    private static final String HELLO_TIMER = "hello";

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

    /** From the running attempt: the process no longer runs it ({@code answered}: because the worker answered it). */
    record ProcessFree(ActorRef<Attempt.Command> attempt, boolean answered) implements Command {}

    /** From the running attempt: the worker must not go on (deadline, unanswered cancel, silence); kill it. */
    record KillProcess(ActorRef<Attempt.Command> attempt, String why) implements Command {}

    /** What the process of spawn {@code number} did. */
    private record FromProcess(int number, ProcessSignal signal) implements Command {}

    /** An attempt child stopped: done reporting, or failed. */
    private record AttemptStopped(ActorRef<Attempt.Command> attempt) implements Command {}

    private enum Spawn implements Command { INSTANCE }

    /** The process of one spawn. */
    private record Spawned(int number, SpawnedWorker process) {}

    /** A job given to this worker and the child running its attempt. */
    private record Assigned(Job job, ActorRef<Attempt.Command> attempt) {}

    // ---- setup -------------------------------------------------------------------------------

    /**
     * A worker process for {@code configId}, the {@code index}-th of its dispatcher (from 1); its name, the lease
     * holder and lineage worker, is {@link #workerName}.
     */
    public static Behavior<Command> create(String configId, int index, WorkerLaunch command, WorkerHost host,
                                           ActorRef<Status> dispatcher) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new WorkerProcess(ctx, timers, configId, index, command, host, dispatcher).spawn(null)));
    }

    /** {@code <configId>-w<index>}: unique on its node. */
    public static String workerName(String configId, int index) {
        return configId + "-w" + index;
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final String configId;
    private final String name;
    private final Path socket;
    private final WorkerLaunch command;
    private final WorkerHost host;
    private final WorkerSettings settings;
    private final ActorRef<Status> dispatcher;
    private final WorkerGauges gauges;
    /** The job the process is running, for the prefix of its output lines (read by the output thread). */
    private final AtomicReference<String> jobForLog = new AtomicReference<>();
    /** Attempts that ended on this worker and are still being reported. */
    private final Set<ActorRef<Attempt.Command>> reporting = new HashSet<>();
    /** The live process, or null: what is killed on a death and shut down on a stop. */
    private SpawnedWorker process;
    private int spawns;
    private long runsReceived;
    /** Abnormal ends since the worker last answered an attempt: the restart backoff grows with them. */
    private int consecutiveFailures;

    private WorkerProcess(ActorContext<Command> ctx, TimerScheduler<Command> timers, String configId, int index,
                          WorkerLaunch command, WorkerHost host, ActorRef<Status> dispatcher) {
        this.ctx = ctx;
        this.timers = timers;
        this.configId = configId;
        this.name = workerName(configId, index);
        this.socket = SpawnedWorker.socketPath(host.runDir(), configId, index);
        this.command = command;
        this.host = host;
        this.settings = host.settings();
        this.dispatcher = dispatcher;
        this.gauges = new WorkerGauges(ctx.getSystem(), configId);
    }

    // ---- behaviours ----------------------------------------------------------------------------

    /** Spawned, waiting for hello; {@code waiting} (nullable) is a job that runs once the process is up. */
    private Behavior<Command> starting(Spawned current, Assigned waiting) {
        gauges.enter(State.STARTING);
        return finish(common()
                .onMessage(FromProcess.class, m -> {
                    if (m.number() != current.number()) {
                        return Behaviors.same();
                    }
                    if (m.signal() instanceof ProcessSignal.Frame f) {
                        return f.message() instanceof WorkerMessage.Hello hello ? onHello(current, hello, waiting) : ignored(f.message());
                    }
                    return diedStarting(((ProcessSignal.End) m.signal()).death(exit()), waiting);
                })
                .onMessage(Run.class, m -> waiting == null ? starting(current, pend(m.job())) : refuse(m.job()))
                .onMessage(AttemptStopped.class, m -> {
                    reporting.remove(m.attempt());
                    return isAttemptOf(waiting, m.attempt()) ? starting(current, null) : Behaviors.same();
                }));
    }

    /** Up and idle; the dispatcher hears of it unless an ended attempt is still being reported. */
    private Behavior<Command> idle(Spawned current) {
        gauges.enter(State.IDLE);
        if (mayTakeMore()) {
            announceReady();
        }
        return finish(common()
                .onMessage(FromProcess.class, m -> {
                    if (m.number() != current.number() || m.signal() instanceof ProcessSignal.HelloTimedOut) {
                        return Behaviors.same();
                    }
                    if (m.signal() instanceof ProcessSignal.Frame f) {
                        return ignored(f.message());
                    }
                    if (mayTakeMore()) {
                        dispatcher.tell(new Unavailable(ctx.getSelf()));
                    }
                    return backoff(((ProcessSignal.End) m.signal()).death(exit()));
                })
                .onMessage(Run.class, m -> {
                    Assigned assigned = assign(m.job());
                    assigned.attempt().tell(new Attempt.Begin(current.process()));
                    return busy(current, assigned);
                })
                .onMessage(AttemptStopped.class, m -> {
                    boolean held = !mayTakeMore();
                    reporting.remove(m.attempt());
                    if (held && mayTakeMore()) {
                        announceReady();
                    }
                    return Behaviors.same();
                }));
    }

    /** Running a job in its attempt, which gets every frame the process sends. */
    private Behavior<Command> busy(Spawned current, Assigned assigned) {
        gauges.enter(State.BUSY);
        Job job = assigned.job();
        ActorRef<Attempt.Command> attempt = assigned.attempt();
        jobForLog.set(job.id());
        String running = " (running job " + job.id() + " attempt " + job.attempt() + ")";
        return finish(common()
                .onMessage(FromProcess.class, m -> {
                    if (m.number() != current.number() || m.signal() instanceof ProcessSignal.HelloTimedOut) {
                        return Behaviors.same();
                    }
                    if (m.signal() instanceof ProcessSignal.Frame f) {
                        if (f.message() instanceof WorkerMessage.Hello) {
                            return ignored(f.message());
                        }
                        logFrame(f.message());
                        attempt.tell(new Attempt.FromWorker(f.message()));
                        return Behaviors.same();
                    }
                    Death death = ((ProcessSignal.End) m.signal()).death(exit());
                    attempt.tell(new Attempt.Abort(death.error()));
                    reporting.add(attempt);
                    return backoff(death.during(running));
                })
                .onMessage(ProcessFree.class, m -> {
                    if (!m.attempt().equals(attempt)) {
                        return Behaviors.same();
                    }
                    if (m.answered()) {
                        consecutiveFailures = 0; // the worker answered: it is healthy
                    }
                    jobForLog.set(null);
                    reporting.add(attempt);
                    return idle(current);
                })
                .onMessage(KillProcess.class, m -> {
                    if (!m.attempt().equals(attempt)) {
                        return Behaviors.same();
                    }
                    reporting.add(attempt);
                    return backoff(new Death(null, m.why() + running));
                })
                .onMessage(Run.class, m -> refuse(m.job()))
                .onMessage(AttemptStopped.class, m -> {
                    reporting.remove(m.attempt());
                    // Stopped without handing the process back (it failed): the process may be mid-job, start afresh.
                    return m.attempt().equals(attempt) ? backoff(new Death(null, "lost its attempt" + running)) : Behaviors.same();
                }));
    }

    /** The process is gone (killed now if it is not yet); a new one is spawned after the restart delay. */
    private Behavior<Command> backoff(Death death) {
        timers.cancel(HELLO_TIMER);
        jobForLog.set(null);
        if (process != null) {
            process.kill();
            process = null;
        }
        consecutiveFailures++;
        Duration delay = settings.restartDelay(consecutiveFailures);
        log.warn("worker {} {}; starting it again in {} ms", name, death.why(), delay.toMillis());
        gauges.restarted();
        timers.startSingleTimer(SPAWN_TIMER, Spawn.INSTANCE, delay);
        return backingOff(null);
    }

    /** Waiting out the restart delay; {@code waiting}: as in {@link #starting}. */
    private Behavior<Command> backingOff(Assigned waiting) {
        gauges.enter(State.BACKOFF);
        return finish(common()
                .onMessageEquals(Spawn.INSTANCE, () -> spawn(waiting))
                .onMessage(Run.class, m -> waiting == null ? backingOff(pend(m.job())) : refuse(m.job()))
                .onMessage(AttemptStopped.class, m -> {
                    reporting.remove(m.attempt());
                    return isAttemptOf(waiting, m.attempt()) ? backingOff(null) : Behaviors.same();
                }));
    }

    // ---- the process ---------------------------------------------------------------------------

    private Behavior<Command> spawn(Assigned waiting) {
        int number = ++spawns;
        ActorRef<Command> self = ctx.getSelf();
        try {
            process = SpawnedWorker.spawn(name, socket, command, settings,
                    ProcessSignal.listener(signal -> self.tell(new FromProcess(number, signal))),
                    exitCode -> self.tell(new FromProcess(number, new ProcessSignal.Exited(exitCode))), jobForLog::get);
        } catch (IOException | RuntimeException e) {
            return diedStarting(new Death(null, "cannot be started: " + e), waiting);
        }
        timers.startSingleTimer(HELLO_TIMER, new FromProcess(number, new ProcessSignal.HelloTimedOut(settings.helloTimeout())),
                settings.helloTimeout());
        return starting(new Spawned(number, process), waiting);
    }

    private Behavior<Command> onHello(Spawned current, WorkerMessage.Hello hello, Assigned waiting) {
        timers.cancel(HELLO_TIMER);
        log.info("worker {} is up: {} {} (pid {}) serving {}", name, hello.name(), hello.version(), hello.pid(), hello.jobTypes());
        if (waiting == null) {
            return idle(current);
        }
        waiting.attempt().tell(new Attempt.Begin(current.process()));
        return busy(current, waiting);
    }

    /** The process did not come up: a waiting job goes back to the queue rather than wait for another try. */
    private Behavior<Command> diedStarting(Death death, Assigned waiting) {
        if (waiting != null) {
            waiting.attempt().tell(new Attempt.Abort(JobError.transientError(WorkerErrors.WORKER_UNAVAILABLE, "worker " + name + " " + death.why())));
        }
        return backoff(death);
    }

    private String exit() {
        return process == null ? "" : process.exitDescription();
    }

    // ---- attempts ------------------------------------------------------------------------------

    /** A child for the attempt of {@code job}, watched so that its end frees its place among the reporting ones. */
    private Assigned assign(Job job) {
        runsReceived++;
        ActorRef<Attempt.Command> attempt = ctx.spawnAnonymous(Attempt.create(job, name, configId, host, ctx.getSelf()));
        ctx.watchWith(attempt, new AttemptStopped(attempt));
        return new Assigned(job, attempt);
    }

    /** A Run that arrived while the process is (re)starting: it runs right after hello. */
    private Assigned pend(Job job) {
        log.debug("worker {} is {}, job {} runs once it is up", name, gauges.state(), job.id());
        return assign(job);
    }

    /** A Run for a worker that already has one: the dispatcher lost track, the attempt fails and is retried elsewhere. */
    private Behavior<Command> refuse(Job job) {
        log.error("worker {} got job {} while {} with another job: the dispatcher lost track; failing it transient", name, job.id(), gauges.state());
        assign(job).attempt().tell(new Attempt.Abort(JobError.transientError(WorkerErrors.WORKER_BUSY, "worker " + name + " is busy with another job")));
        return Behaviors.same();
    }

    private static boolean isAttemptOf(Assigned assigned, ActorRef<Attempt.Command> attempt) {
        return assigned != null && assigned.attempt().equals(attempt);
    }

    /** Whether the worker may take another job once its process is idle: few enough of its ended attempts are still reported. */
    private boolean mayTakeMore() {
        return reporting.size() <= settings.prefetch();
    }

    private void announceReady() {
        dispatcher.tell(new Ready(ctx.getSelf(), runsReceived));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** What every behaviour handles alike: being stopped. */
    private BehaviorBuilder<Command> common() {
        return Behaviors.receive(Command.class)
                .onSignal(PostStop.class, s -> onStopped())
                .onSignal(PreRestart.class, s -> onStopped());
    }

    /** Builds a behaviour that drops what it does not handle: late word from an earlier process or attempt. */
    private static Behavior<Command> finish(BehaviorBuilder<Command> builder) {
        return builder.onAnyMessage(m -> Behaviors.same()).build();
    }

    /** A frame of the live process that no attempt is waiting for: logged if it is a log frame, else dropped. */
    private Behavior<Command> ignored(WorkerMessage message) {
        if (message instanceof WorkerMessage.Hello) {
            log.warn("worker {} said hello again while {}; ignored", name, gauges.state());
        } else if (!logFrame(message)) {
            log.debug("worker {}: ignoring {} for job {}, which it is not running", name, message.getClass().getSimpleName(), message.jobId());
        }
        return Behaviors.same();
    }

    /** Logs a log frame (true), or does nothing (false). */
    private boolean logFrame(WorkerMessage message) {
        if (message instanceof WorkerMessage.Log l) {
            WorkerOutput.frame(name, l.jobId(), l.level(), l.message());
            return true;
        }
        return false;
    }

    /**
     * Stopped, or restarted by the supervisor: the attempt children stop with this actor (each one not yet ended
     * fails its job as stopped); the process is asked to exit and killed after the stop grace.
     */
    private Behavior<Command> onStopped() {
        if (process != null) {
            process.shutdown(settings.stopGrace());
            process = null;
        }
        ScratchDirs.forget(host.scratchRoot(), name);
        gauges.enter(null);
        return Behaviors.same();
    }
}
