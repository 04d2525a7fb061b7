package io.spindle.node.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.alias.AliasChange;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.experiment.ArmConfig;
import io.spindle.model.experiment.ArmRun;
import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ExperimentEvent;
import io.spindle.model.experiment.ExperimentReports;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.ScoreValue;
import io.spindle.model.experiment.Scorer;
import io.spindle.model.experiment.ScorerInput;
import io.spindle.model.experiment.SourceJob;
import io.spindle.model.experiment.WorkKey;
import io.spindle.model.gate.GateResult;
import io.spindle.model.gate.Verdict;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobOrigin;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobStatus;
import io.spindle.node.alias.AliasEntity;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One experiment: a sharded, event-sourced actor that drives its own replays and scorers to the end
 * (docs/decisions/0021-experiment-entity-and-replay-driving.md). Every tick it takes the first {@code max_concurrent}
 * pending work items (replays, then scores whose output exists) and sends each its job's {@link JobEntity.Submit}:
 * the job id derives from a key of (experiment, arm, source, repetition[, scorer]), so a Submit for a job that exists
 * only returns its view. A terminal view is journaled as a finished replay or a recorded score. Nothing about
 * in-flight jobs is journaled: after a restart the same window is asked again, and nothing runs twice.
 */
public final class ExperimentEntity
        extends EventSourcedBehaviorWithEnforcedReplies<ExperimentEntity.Command, ExperimentEvent, ExperimentEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Experiment");
    public static final String PERSISTENCE_ID_PREFIX = "experiment";
    private static final Logger log = LoggerFactory.getLogger(ExperimentEntity.class);
    private static final Set<String> TAGS = Set.of(ExperimentEvent.TAG);
    private static final String TICK_TIMER = "tick";
    private static final Set<JobStatus> TERMINAL = Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.DEAD_LETTERED);

    public static void init(ActorSystem<?> system, ExperimentSettings settings) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, Clock.systemUTC())));
    }

    public static EntityRef<Command> entityRef(ActorSystem<?> system, String id) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, id);
    }

    public static Behavior<Command> create(String id, ExperimentSettings settings, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ExperimentEntity(id, settings, clock, ctx, timers)));
    }

    public static PersistenceId persistenceId(String id) {
        return PersistenceId.of(PERSISTENCE_ID_PREFIX, id);
    }

    // ---- commands ----------------------------------------------------------------------------

    public sealed interface Command {}

    /** Creates the experiment from a pinned spec and its frozen sources; a repeated create returns it unchanged. */
    public record Create(ExperimentSpec spec, List<SourceJob> sources, ActorRef<ExperimentReply> replyTo) implements Command {}

    public record Get(ActorRef<ExperimentReply> replyTo) implements Command {}

    /** Adds scorers (names not used yet) over the outputs already recorded. */
    public record Rescore(List<Scorer> scorers, ActorRef<ExperimentReply> replyTo) implements Command {}

    /**
     * A rolling experiment gains a live job of its shadow's alias as a source (once; outputs come when it finishes). A
     * stopped experiment tells the alias again to stop mirroring; a full budget takes no more sources.
     */
    public record Mirror(SourceJob source, ActorRef<ExperimentReply> replyTo) implements Command {}

    /** Stops a rolling experiment (its shadow was stopped by a caller): no more sources, replays or scores. */
    public record StopShadow(String reason, ActorRef<ExperimentReply> replyTo) implements Command {}

    /** Starts (recovers) the entity so it resumes driving; sent by {@link ExperimentResumer} after a restart. */
    public record Wake(ActorRef<ExperimentReply> replyTo) implements Command {}

    private enum Tick implements Command { INSTANCE }

    private record Observed(WorkKey key, Job job, String refusal) implements Command {}

    private record LiveObserved(String jobId, Job job) implements Command {}

    // ---- state -------------------------------------------------------------------------------

    public record State(Experiment experiment) {
        public static final State EMPTY = new State(null);

        public State apply(ExperimentEvent event) {
            if (event instanceof ExperimentEvent.Created c) {
                return new State(Experiment.created(c));
            }
            return new State(experiment.apply(event));
        }
    }

    // ---- the entity --------------------------------------------------------------------------

    private final String id;
    private final ExperimentSettings settings;
    private final Clock clock;
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    /** How many scores the shadow's gate last saw (in memory: after a restart it is evaluated once more). */
    private int evaluatedScores = -1;

    private ExperimentEntity(String id, ExperimentSettings settings, Clock clock, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        super(persistenceId(id));
        this.id = id;
        this.settings = settings;
        this.clock = clock;
        this.ctx = ctx;
        this.timers = timers;
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public Set<String> tagsFor(ExperimentEvent event) {
        return TAGS;
    }

    @Override
    public EventHandler<State, ExperimentEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::drive).build();
    }

    @Override
    public CommandHandlerWithReply<Command, ExperimentEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Get.class, (s, c) -> answer(s, c.replyTo()))
                .onCommand(Wake.class, (s, c) -> answer(s, c.replyTo()))
                .onCommand(Rescore.class, this::onRescore)
                .onCommand(Tick.class, (s, c) -> onTick(s))
                .onCommand(Observed.class, this::onObserved)
                .onCommand(Mirror.class, this::onMirror)
                .onCommand(StopShadow.class, this::onStopShadow)
                .onCommand(LiveObserved.class, this::onLiveObserved)
                .build();
    }

    private ReplyEffect<ExperimentEvent, State> onCreate(State s, Create c) {
        if (s.experiment() != null) {
            return Effect().reply(c.replyTo(), new ExperimentReply.Accepted(s.experiment()));
        }
        return Effect().persist(new ExperimentEvent.Created(c.spec(), c.sources(), now()))
                .thenRun(this::drive)
                .thenReply(c.replyTo(), st -> new ExperimentReply.Accepted(st.experiment()));
    }

    private ReplyEffect<ExperimentEvent, State> onRescore(State s, Rescore c) {
        if (s.experiment() == null) {
            return notFound(c.replyTo());
        }
        List<Scorer> fresh = c.scorers().stream().filter(n -> s.experiment().scorer(n.name()).isEmpty()).toList();
        if (fresh.isEmpty()) {
            return Effect().reply(c.replyTo(), new ExperimentReply.Accepted(s.experiment()));
        }
        return Effect().persist(new ExperimentEvent.ScorersAdded(fresh, now()))
                .thenRun(this::drive)
                .thenReply(c.replyTo(), st -> new ExperimentReply.Accepted(st.experiment()));
    }

    private ReplyEffect<ExperimentEvent, State> onTick(State s) {
        Experiment e = s.experiment();
        if (e == null || e.isComplete()) {
            timers.cancel(TICK_TIMER);
            return Effect().noReply();
        }
        if (e.spec().isRolling()) {
            GateResult failed = failedGate(e);
            if (failed != null) {
                String reason = "gate " + failed.gate() + " failed: " + failed.criteria().stream()
                        .filter(c -> c.verdict() == Verdict.FAIL).map(c -> c.observed()).findFirst().orElse("");
                log.info("Experiment {}: shadow of alias {} stopped, {}", id, e.spec().shadow().alias(), reason);
                return Effect().persist(new ExperimentEvent.ShadowStopped(Verdict.FAIL, reason, now()))
                        .thenRun(st -> stopShadow(e, reason)).thenNoReply();
            }
            e.liveSources().stream().limit(settings.shadowWatchPerTick()).forEach(this::watchLive);
        } else if (!e.hasWorkLeft()) {
            log.info("Experiment {}: complete, {} replays and {} scores", id, e.runs().size(), e.scores().size());
            return Effect().persist(new ExperimentEvent.Completed(now())).thenNoReply();
        }
        Stream.concat(e.pendingReplays().stream(), e.pendingScores().stream())
                .limit(e.spec().budget().concurrent())
                .forEach(key -> submit(e, key));
        return Effect().noReply();
    }

    /** The shadow's gate, evaluated when scores came in since it last was: its result when it fails, else null. */
    private GateResult failedGate(Experiment e) {
        if (e.scores().size() == evaluatedScores) {
            return null;
        }
        evaluatedScores = e.scores().size();
        GateResult result = e.spec().shadow().gate().evaluate(ExperimentReports.evidence(e, ExperimentSpec.ORIGINAL, AliasChange.SHADOW_ARM));
        return result.verdict() == Verdict.FAIL ? result : null;
    }

    private void stopShadow(Experiment e, String reason) {
        AliasEntity.entityRef(ctx.getSystem(), e.spec().shadow().alias())
                .tell(new AliasEntity.StopShadow(id, Verdict.FAIL, "experiment " + id, reason, ctx.getSystem().ignoreRef()));
    }

    private void watchLive(String jobId) {
        ctx.pipeToSelf(PekkoStages.direct(JobEntity.entityRef(ctx.getSystem(), jobId).<JobReply>ask(JobEntity.Get::new, settings.askTimeout())),
                (reply, failure) -> new LiveObserved(jobId, reply instanceof JobReply.Accepted a ? a.job() : null));
    }

    private ReplyEffect<ExperimentEvent, State> onLiveObserved(State s, LiveObserved o) {
        Experiment e = s.experiment();
        if (e == null || e.isComplete() || o.job() == null || !TERMINAL.contains(o.job().status()) || !e.liveSources().contains(o.jobId())) {
            return Effect().noReply();
        }
        Job job = o.job();
        return Effect().persist(new ExperimentEvent.SourceFinished(job.id(), job.status() == JobStatus.SUCCEEDED, job.outputs(),
                job.artifactIds(), latency(job), now())).thenNoReply();
    }

    private ReplyEffect<ExperimentEvent, State> onStopShadow(State s, StopShadow c) {
        Experiment e = s.experiment();
        if (e == null) {
            return notFound(c.replyTo());
        }
        if (!e.spec().isRolling() || e.isComplete()) {
            return Effect().reply(c.replyTo(), new ExperimentReply.Accepted(e));
        }
        return Effect().persist(new ExperimentEvent.ShadowStopped(null, c.reason(), now()))
                .thenReply(c.replyTo(), st -> new ExperimentReply.Accepted(st.experiment()));
    }

    private ReplyEffect<ExperimentEvent, State> onMirror(State s, Mirror c) {
        Experiment e = s.experiment();
        if (e == null) {
            return notFound(c.replyTo());
        }
        if (e.isComplete() && e.spec().isRolling()) {
            stopShadow(e, "the shadow's experiment has stopped");
            return Effect().reply(c.replyTo(), new ExperimentReply.Accepted(e));
        }
        boolean withinBudget = Experiment.plannedJobs(e.spec(), e.sources().size() + 1) <= e.spec().budget().jobs();
        if (!e.spec().isRolling() || e.source(c.source().jobId()).isPresent() || !withinBudget) {
            return Effect().reply(c.replyTo(), new ExperimentReply.Accepted(e));
        }
        return Effect().persist(new ExperimentEvent.SourceAdded(c.source(), now()))
                .thenRun(this::drive)
                .thenReply(c.replyTo(), st -> new ExperimentReply.Accepted(st.experiment()));
    }

    /** Asks for the key's job (created on the first ask, its current view after); the answer comes back as Observed. */
    private void submit(Experiment e, WorkKey key) {
        Submission submission;
        try {
            submission = submission(e, key);
        } catch (IllegalArgumentException bad) {
            ctx.getSelf().tell(new Observed(key, null, bad.getMessage()));
            return;
        }
        String jobId = JobIds.fromIdempotencyKey(submission.spec().configId(), submission.spec().idempotencyKey());
        ctx.pipeToSelf(PekkoStages.direct(JobEntity.entityRef(ctx.getSystem(), jobId).<JobReply>ask(
                        r -> new JobEntity.Submit(submission.spec(), submission.version(), submission.replayOf(), submission.origin(), null, r),
                        settings.askTimeout())),
                (reply, failure) -> {
                    if (failure != null) {
                        return new Observed(key, null, null); // unanswered: the next tick asks again
                    }
                    return reply instanceof JobReply.Accepted a ? new Observed(key, a.job(), null)
                            : new Observed(key, null, ((JobReply.Rejected) reply).error().message());
                });
    }

    private record Submission(JobSpec spec, Integer version, String replayOf, JobOrigin origin) {}

    private Submission submission(Experiment e, WorkKey key) {
        SourceJob source = e.source(key.sourceJob()).orElseThrow();
        String idempotencyKey = key.idempotencyKey(id);
        Map<String, String> labels = Map.of("experiment", id, "arm", key.arm());
        int priority = e.spec().replayPriority();
        if (!key.isScore()) {
            ArmConfig arm = e.spec().candidates().stream().filter(a -> a.name().equals(key.arm())).findFirst().orElse(null);
            String configId = arm == null ? source.configId() : arm.configId();
            Integer version = arm == null ? source.configVersion() : arm.version();
            JobSpec spec = new JobSpec(source.type(), configId, source.input(), priority, null, null, idempotencyKey, labels);
            return new Submission(spec, version, source.jobId(), JobOrigin.replay(id, key.arm(), source.jobId(), key.repetition()));
        }
        Scorer scorer = e.scorer(key.scorer()).orElseThrow();
        ArmRun output = e.run(key.arm(), key.sourceJob(), key.repetition()).orElseThrow();
        ObjectNode input = ScorerInput.fill(scorer.input(), source, output);
        JobSpec spec = new JobSpec(scorer.type(), scorer.configId(), input, priority, null, null, idempotencyKey, labels);
        return new Submission(spec, scorer.configVersion(), output.jobId(),
                JobOrigin.score(id, key.arm(), source.jobId(), key.repetition(), scorer.name()));
    }

    private ReplyEffect<ExperimentEvent, State> onObserved(State s, Observed o) {
        Experiment e = s.experiment();
        boolean refused = o.refusal() != null;
        if (e == null || (o.job() == null && !refused) || (o.job() != null && !TERMINAL.contains(o.job().status()))) {
            return Effect().noReply();
        }
        WorkKey key = o.key();
        if (!key.isScore()) {
            if (e.runs().containsKey(key)) {
                return Effect().noReply();
            }
            Job job = o.job();
            ArmRun run = refused
                    ? new ArmRun(key.arm(), key.sourceJob(), key.repetition(), null, false, null, null, List.of(), o.refusal())
                    : new ArmRun(key.arm(), key.sourceJob(), key.repetition(), job.id(), job.status() == JobStatus.SUCCEEDED,
                            latency(job), job.outputs(), job.artifactIds(), job.lastError() == null ? null : job.lastError().message());
            return Effect().persist(new ExperimentEvent.ReplayFinished(run, now())).thenNoReply();
        }
        if (e.scores().containsKey(key)) {
            return Effect().noReply();
        }
        Scorer scorer = e.scorer(key.scorer()).orElseThrow();
        Job job = o.job();
        JsonNode value = job == null || job.outputs() == null ? null : job.outputs().get("value");
        boolean scored = job != null && job.status() == JobStatus.SUCCEEDED && value != null && value.isNumber();
        String metric = job != null && job.outputs() != null && job.outputs().path("metric").isTextual()
                ? job.outputs().get("metric").asText() : scorer.metric();
        String error = scored ? null : refused ? o.refusal() : "eval job ended " + job.status().name().toLowerCase(java.util.Locale.ROOT)
                + (job.lastError() == null ? "" : ": " + job.lastError().message());
        ScoreValue score = new ScoreValue(key.scorer(), metric, key.arm(), key.sourceJob(), key.repetition(), job == null ? null : job.id(),
                scored ? value.asDouble() : null, error);
        return Effect().persist(new ExperimentEvent.ScoreRecorded(score, now())).thenNoReply();
    }

    /** Run time: start to finish of the attempt that ended the job (queueing is the cluster's, not the config's). */
    private static Long latency(Job job) {
        Instant start = job.startedAt() != null ? job.startedAt() : job.createdAt();
        return job.finishedAt() == null ? null : Duration.between(start, job.finishedAt()).toMillis();
    }

    private void drive(State s) {
        if (s.experiment() != null && !s.experiment().isComplete() && !timers.isTimerActive(TICK_TIMER)) {
            timers.startTimerWithFixedDelay(TICK_TIMER, Tick.INSTANCE, settings.tickInterval());
        }
    }

    private ReplyEffect<ExperimentEvent, State> answer(State s, ActorRef<ExperimentReply> replyTo) {
        return s.experiment() == null ? notFound(replyTo) : Effect().reply(replyTo, new ExperimentReply.Accepted(s.experiment()));
    }

    private ReplyEffect<ExperimentEvent, State> notFound(ActorRef<ExperimentReply> replyTo) {
        return Effect().reply(replyTo, new ExperimentReply.Rejected(SpindleError.of(ErrorCode.EXPERIMENT_NOT_FOUND,
                "no experiment '" + id + "'", Map.of("experiment", id))));
    }

    private Instant now() {
        return clock.instant();
    }
}
