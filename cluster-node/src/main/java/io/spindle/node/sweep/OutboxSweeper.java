package io.spindle.node.sweep;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobPage;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.stream.StreamRuns;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox sweeper (spindle-sweep.conf): Redis is only transport, so every {@code interval} it reads the
 * jobs the read model shows queued, keeps those due whose last enqueue is older than {@code min-age}, and asks
 * each one's JobEntity to {@link JobEntity.EnsureEnqueued enqueue it again if it still waits}. The entity
 * decides (the read model lags; the entity knows when it last enqueued), so a sweep never changes a job's
 * state and a duplicate ticket costs one rejected lease. The same ask wakes every leased or running job whose
 * entity a restart or a lost node stopped (sharding remembers no entities), so its lease timer runs again.
 * One sweeper runs per cluster, as a singleton; its first sweep starts {@code initial-delay} after it does.
 */
public final class OutboxSweeper {
    private static final Logger log = LoggerFactory.getLogger(OutboxSweeper.class);
    private static final String NAME = "outbox-sweeper";
    private static final String TICK = "tick";
    private static final List<JobStatus> SWEPT = List.of(JobStatus.QUEUED, JobStatus.LEASED, JobStatus.RUNNING);

    /** Messages of the sweeper to itself. */
    public sealed interface Command {}

    private enum Tick implements Command { INSTANCE }

    private record SweepDone(Result result, Throwable failure) implements Command {}

    /** What one sweep did: jobs looked at, jobs whose entity was asked, asks that failed. */
    public record Result(int examined, int asked, int failedAsks) {
        Result plus(Result other) {
            return new Result(examined + other.examined, asked + other.asked, failedAsks + other.failedAsks);
        }
    }

    private final ActorSystem<?> system;
    private final JobViewStore views;
    private final SweepSettings settings;
    private final Duration askTimeout;
    private final Clock clock;

    private OutboxSweeper(ActorSystem<?> system, JobViewStore views, SweepSettings settings, Duration askTimeout, Clock clock) {
        this.system = system;
        this.views = views;
        this.settings = settings;
        this.askTimeout = askTimeout;
        this.clock = clock;
    }

    /** Starts the cluster's one sweeper (on a node with the configured role), unless it is switched off. */
    public static Optional<ActorRef<Command>> startSingleton(ActorSystem<?> system, JobViewStore views, SweepSettings settings,
                                                             Duration askTimeout) {
        if (!settings.enabled()) {
            log.info("Outbox sweeper switched off (spindle.sweep.interval = 0s)");
            return Optional.empty();
        }
        ClusterSingletonSettings singleton = ClusterSingletonSettings.create(system);
        if (!settings.role().isBlank()) {
            singleton = singleton.withRole(settings.role());
        }
        Behavior<Command> behavior = Behaviors.supervise(create(views, settings, askTimeout, Clock.systemUTC()))
                .onFailure(SupervisorStrategy.restart());
        return Optional.of(ClusterSingleton.get(system).init(SingletonActor.of(behavior, NAME).withSettings(singleton)));
    }

    /** The sweeper's behavior: a sweep, then a pause of {@code interval}, and so on. */
    public static Behavior<Command> create(JobViewStore views, SweepSettings settings, Duration askTimeout, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            OutboxSweeper sweeper = new OutboxSweeper(ctx.getSystem(), views, settings, askTimeout, clock);
            timers.startSingleTimer(TICK, Tick.INSTANCE, settings.initialDelay());
            return sweeper.idle(ctx, timers);
        }));
    }

    private Behavior<Command> idle(ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, () -> {
                    ctx.pipeToSelf(sweep(), SweepDone::new);
                    return sweeping(ctx, timers);
                })
                .build();
    }

    private Behavior<Command> sweeping(ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        return Behaviors.receive(Command.class)
                .onMessage(SweepDone.class, done -> {
                    if (done.failure() != null) {
                        log.warn("Outbox sweep failed, next one in {}: {}", settings.interval(), done.failure().toString());
                    } else if (done.result().asked() > 0) {
                        log.info("Outbox sweep: {} unfinished job(s) looked at, {} held or waiting over {} since their last "
                                + "enqueue were handed to their entity ({} ask(s) failed)", done.result().examined(),
                                done.result().asked(), settings.minAge(), done.result().failedAsks());
                    } else {
                        log.debug("Outbox sweep: {} unfinished job(s) looked at, none to wake", done.result().examined());
                    }
                    timers.startSingleTimer(TICK, Tick.INSTANCE, settings.interval());
                    return idle(ctx, timers);
                })
                .onMessageEquals(Tick.INSTANCE, Behaviors::same) // a sweep is running; the next is scheduled after it
                .build();
    }

    /** One sweep over the read model, page by page: the queued jobs first, then the leased and the running ones. */
    CompletionStage<Result> sweep() {
        Instant cutoff = clock.instant().minus(settings.minAge());
        CompletionStage<Result> total = CompletableFuture.completedFuture(new Result(0, 0, 0));
        for (JobStatus status : SWEPT) {
            total = total.thenCompose(sofar -> sweepFrom(status, null, cutoff, sofar));
        }
        return total;
    }

    private CompletionStage<Result> sweepFrom(JobStatus status, String cursor, Instant cutoff, Result sofar) {
        int limit = Math.min(settings.pageSize(), settings.maxJobs() - sofar.examined());
        if (limit <= 0) {
            return CompletableFuture.completedFuture(sofar);
        }
        // Created before the cutoff: a job queued (or due) after it was necessarily created before it too.
        JobQuery query = new JobQuery(status, null, null, null, null, cutoff, limit, cursor);
        return views.queryJobs(query).thenCompose(page -> ensureEnqueued(page, cutoff).thenCompose(result -> {
            Result total = sofar.plus(result);
            return page.nextCursor() == null || total.examined() >= settings.maxJobs()
                    ? CompletableFuture.completedFuture(total)
                    : sweepFrom(status, page.nextCursor(), cutoff, total);
        }));
    }

    private CompletionStage<Result> ensureEnqueued(JobPage page, Instant cutoff) {
        List<String> waiting = page.jobs().stream().filter(j -> needsWake(j, cutoff)).map(Job::id).toList();
        return PekkoStages.direct(Source.from(waiting)
                .mapAsyncUnordered(settings.parallelism(), id -> PekkoStages.direct(JobEntity.entityRef(system, id)
                        .<JobReply>ask(replyTo -> new JobEntity.EnsureEnqueued(settings.minAge(), settings.maxAge(), replyTo), askTimeout))
                        .handle((reply, error) -> error == null))
                .runWith(Sink.fold(0, (failed, ok) -> ok ? failed : failed + 1), StreamRuns.get(system).materializer(StreamRuns.Site.SWEEP)))
                .thenApply(failed -> new Result(page.jobs().size(), waiting.size(), failed));
    }

    /**
     * Whether the sweep asks the job's entity: a queued job when it has waited since {@code cutoff}, a leased or
     * running one always. Sharding does not remember entities (a write per job start and stop), so after a restart
     * only this ask brings back the entity of a held job, whose recovery re-arms its lease timer; asking an entity
     * that is alive costs one message.
     */
    static boolean needsWake(Job job, Instant cutoff) {
        return switch (job.status()) {
            case QUEUED -> waitingSince(job, cutoff);
            case LEASED, RUNNING -> true;
            default -> false;
        };
    }

    /** Queued, due, and last enqueued (when queued, or when its retry fell due) no later than {@code cutoff}. */
    static boolean waitingSince(Job job, Instant cutoff) {
        if (job.status() != JobStatus.QUEUED) {
            return false;
        }
        Instant lastEnqueue = job.queuedAt();
        if (job.retryAt() != null && (lastEnqueue == null || job.retryAt().isAfter(lastEnqueue))) {
            lastEnqueue = job.retryAt();
        }
        return lastEnqueue != null && !lastEnqueue.isAfter(cutoff);
    }
}
