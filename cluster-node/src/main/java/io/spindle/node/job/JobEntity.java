package io.spindle.node.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobOrigin;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.Lease;
import io.spindle.model.job.Progress;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.metrics.SpindleMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's lifecycle (docs/architecture.md, "Job lifecycle"): a sharded, event-sourced actor per job id, the
 * single writer of that job. Every transition is a journaled {@link JobEvent}; heartbeats and progress
 * only live in memory. Timers drive lease expiry, retry due times and the cancel grace period; after
 * Submitted/Requeued are persisted and when a retry falls due, the job is put on its config's
 * {@link JobQueue} (outbox: also on recovery, since a node may die between persist and enqueue).
 */
public final class JobEntity extends EventSourcedBehaviorWithEnforcedReplies<JobEntity.Command, JobEvent, JobEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Job");
    /** Journal persistence ids are {@code job|<job id>}. */
    public static final String PERSISTENCE_ID_PREFIX = "job";
    /** Error code of an attempt whose lease ran out (worker or node presumed dead). */
    public static final String LEASE_EXPIRED = "lease_expired";
    /** Error code with which a worker fails an attempt to confirm a cancel. */
    public static final String CANCELED = "canceled";
    public static final String DEFAULT_CANCEL_REASON = "canceled on request";

    private static final Logger log = LoggerFactory.getLogger(JobEntity.class);
    private static final Set<String> TAGS = Set.of(JobEvent.TAG);
    private static final String LEASE_TIMER = "lease";
    private static final String RETRY_TIMER = "retry";
    private static final String CANCEL_GRACE_TIMER = "cancel-grace";
    private static final String PASSIVATE_TIMER = "passivate";

    /** Registers the entity with Cluster Sharding on this node; the returned region routes by job id. */
    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, JobQueue queue, JobSettings settings) {
        return init(system, queue, settings, Clock.systemUTC());
    }

    public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, JobQueue queue, JobSettings settings, Clock clock) {
        NodeIncarnation incarnation = NodeIncarnation.of(system);
        return ClusterSharding.get(system).init(Entity.of(ENTITY_KEY,
                ctx -> create(ctx.getEntityId(), ctx.getShard(), queue, settings, clock, incarnation)));
    }

    /** The entity of one job, for {@code ask}; call {@link #init} on the node first. */
    public static EntityRef<Command> entityRef(ActorSystem<?> system, String jobId) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, jobId);
    }

    /**
     * The behavior of one job's entity.
     *
     * @param shard where terminal entities send Passivate; null outside sharding (the entity then stops itself)
     */
    public static Behavior<Command> create(String jobId, ActorRef<ClusterSharding.ShardCommand> shard, JobQueue queue,
                                           JobSettings settings, Clock clock) {
        return Behaviors.setup(ctx -> create(jobId, shard, queue, settings, clock, NodeIncarnation.of(ctx.getSystem())));
    }

    /** As above, on a node process given explicitly: recovery releases the leases its earlier processes held. */
    public static Behavior<Command> create(String jobId, ActorRef<ClusterSharding.ShardCommand> shard, JobQueue queue,
                                           JobSettings settings, Clock clock, NodeIncarnation incarnation) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new JobEntity(jobId, shard, queue, settings, clock, incarnation, ctx, timers)));
    }

    public static PersistenceId persistenceId(String jobId) {
        return PersistenceId.of(PERSISTENCE_ID_PREFIX, jobId);
    }

    // ---- commands ----------------------------------------------------------------------------

    /** Everything a JobEntity handles; each public command is answered with exactly one {@link JobReply}. */
    public sealed interface Command {}

    /**
     * Creates the job from a validated spec. Idempotent by job id: an existing job is returned unchanged.
     * A submit handled after its {@code deadline} (null: none) creates nothing and is refused with
     * {@code overloaded}: its sender has stopped waiting and must be able to tell its client the job
     * does not exist (docs/decisions/0008-admission-control.md).
     */
    public record Submit(JobSpec spec, Integer configVersion, String replayOf, JobOrigin origin, Instant deadline,
                         ActorRef<JobReply> replyTo) implements Command {
        public Submit(JobSpec spec, Integer configVersion, String replayOf, Instant deadline, ActorRef<JobReply> replyTo) {
            this(spec, configVersion, replayOf, null, deadline, replyTo);
        }

        public Submit(JobSpec spec, Integer configVersion, String replayOf, ActorRef<JobReply> replyTo) {
            this(spec, configVersion, replayOf, null, null, replyTo);
        }
    }

    /**
     * A dispatcher takes the queued job for one of its workers until now + {@code ttl} (null: the configured default).
     * With {@code start}, the worker is idle and begins at once: Leased and Started are journaled in one write.
     */
    public record AcquireLease(String node, String worker, Duration ttl, boolean start, ActorRef<JobReply> replyTo)
            implements Command {
        /** A lease alone; the holder sends Start when it begins. */
        public AcquireLease(String node, String worker, Duration ttl, ActorRef<JobReply> replyTo) {
            this(node, worker, ttl, false, replyTo);
        }
    }

    /** The lease holder is alive: extends the lease (in memory only) and may report progress ({@code progress} nullable). */
    public record Heartbeat(String node, String worker, int attempt, Progress progress, ActorRef<JobReply> replyTo) implements Command {}

    /** Progress from the lease holder; it is also proof of life, so it extends the lease like a heartbeat. */
    public record ReportProgress(String node, String worker, int attempt, Progress progress, ActorRef<JobReply> replyTo) implements Command {}

    /** The worker began executing the leased attempt. */
    public record Start(String node, String worker, int attempt, ActorRef<JobReply> replyTo) implements Command {}

    public record Complete(String node, String worker, int attempt, ObjectNode outputs, List<String> artifactIds,
                           ActorRef<JobReply> replyTo) implements Command {
        public Complete {
            artifactIds = artifactIds == null ? List.of() : List.copyOf(artifactIds);
        }
    }

    /** The attempt failed; {@code error.isTransient()} decides between retry and failure. */
    public record Fail(String node, String worker, int attempt, JobError error, ActorRef<JobReply> replyTo) implements Command {}

    public record Cancel(String reason, ActorRef<JobReply> replyTo) implements Command {}

    /** The worker stopped working on the job after being told to cancel. */
    public record CancelConfirmed(String node, String worker, int attempt, ActorRef<JobReply> replyTo) implements Command {}

    /** Sends a dead-lettered job back to the queue with a fresh budget of attempts. */
    public record Requeue(ActorRef<JobReply> replyTo) implements Command {}

    public record Get(ActorRef<JobReply> replyTo) implements Command {}

    /**
     * From the outbox sweeper, which saw the job queued in the read model with no enqueue for a while: if the job
     * is still queued and due, and this entity last enqueued it at least {@code minAge} ago, it is enqueued again
     * (its ticket may have been lost with Redis data; a duplicate is harmless, AcquireLease rejects it). Each such
     * re-enqueue of one attempt doubles the age required for the next, up to {@code maxAge}, so a long but
     * healthy backlog is not flooded with duplicates. Answered with the job's view.
     */
    public record EnsureEnqueued(Duration minAge, Duration maxAge, ActorRef<JobReply> replyTo) implements Command {}

    /**
     * The holder gives its lease back before the attempt ended: its node is stopping (the worker was stopped), or
     * its dispatcher gave up waiting for the lease and never handed the job to the worker. The job is queued again
     * at once with the same attempt (none spent; canceled instead if a cancel was requested) and re-enqueued.
     * A no-op, answered {@code lease_mismatch}, unless {@code worker} on {@code node} holds the job and, when
     * {@code attempt} is not null, that attempt: a late release never touches a newer lease.
     */
    public record ReleaseLease(String node, String worker, Integer attempt, String reason, ActorRef<JobReply> replyTo)
            implements Command {}

    // Timer messages: never sent by others, each names the attempt it was armed for.
    private record LeaseExpired(int attempt) implements Command {}

    private record RetryDue(int attempt) implements Command {}

    private record CancelGraceExpired(int attempt) implements Command {}

    private enum PassivateIfDone implements Command { INSTANCE }

    /** From recovery: the lease of {@code attempt} was granted to an earlier process of this node. */
    private record ReleaseOrphanedLease(int attempt) implements Command {}

    // ---- state -------------------------------------------------------------------------------

    /**
     * The journaled state: the job's view, folded from its events exactly as the read model folds them,
     * plus what the timers need from earlier events. {@code job} is null until the job is submitted.
     */
    public record State(Job job, Duration leaseTtl, String cancelReason, Instant cancelRequestedAt) {
        public static final State EMPTY = new State(null, null, null, null);

        public boolean exists() {
            return job != null;
        }

        public State apply(JobEvent event) {
            if (event instanceof JobEvent.Submitted s) {
                return new State(Job.submitted(s), null, null, null);
            }
            if (job == null) {
                throw new IllegalStateException("event " + event + " arrived before the job was submitted");
            }
            Job next = job.apply(event);
            if (event instanceof JobEvent.Leased e) {
                return new State(next, Duration.between(e.at(), e.leaseExpiresAt()), cancelReason, cancelRequestedAt);
            }
            if (event instanceof JobEvent.CancelRequested e) {
                return new State(next, leaseTtl, e.reason(), e.at());
            }
            return new State(next, leaseTtl, cancelReason, cancelRequestedAt);
        }
    }

    // ---- the entity --------------------------------------------------------------------------

    private final String jobId;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final JobSettings settings;
    private final Clock clock;
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final String node;
    private final NodeIncarnation incarnation;
    // Heartbeats and progress are not journaled (each would be a durable write): they live here and
    // belong to one attempt, so a new lease simply makes them stale.
    private int liveAttempt = -1;
    private Instant liveLeaseExpiry;
    private Progress liveProgress;
    private final JobOutbox outbox;

    private JobEntity(String jobId, ActorRef<ClusterSharding.ShardCommand> shard, JobQueue queue, JobSettings settings,
                      Clock clock, NodeIncarnation incarnation, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        super(persistenceId(jobId));
        this.jobId = jobId;
        this.shard = shard;
        this.outbox = new JobOutbox(queue, clock);
        this.settings = settings;
        this.clock = clock;
        this.ctx = ctx;
        this.timers = timers;
        this.node = ctx.getSystem().address().hostPort();
        this.incarnation = incarnation;
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public Set<String> tagsFor(JobEvent event) {
        return TAGS;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        // Snapshots only shorten recovery; events are never deleted (they are the job's audit history).
        return settings.snapshotEvery() > 0
                ? RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots())
                : RetentionCriteria.disabled();
    }

    @Override
    public Recovery recovery() {
        // Without snapshots (the default) a recovery does not look for one: replaying a job's handful of events is
        // one read, shared with other recovering jobs; a snapshot lookup first was a second, on every new job too.
        return Recovery.withSnapshotSelectionCriteria(settings.snapshotEvery() > 0
                ? SnapshotSelectionCriteria.latest()
                : SnapshotSelectionCriteria.none());
    }

    @Override
    public EventHandler<State, JobEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted).build();
    }

    @Override
    public CommandHandlerWithReply<Command, JobEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Submit.class, this::onSubmit)
                .onCommand(AcquireLease.class, this::onLease)
                .onCommand(Heartbeat.class, (s, c) -> onHeartbeat(s, c.node(), c.worker(), c.attempt(), c.progress(), c.replyTo()))
                .onCommand(ReportProgress.class, (s, c) -> onHeartbeat(s, c.node(), c.worker(), c.attempt(), c.progress(), c.replyTo()))
                .onCommand(Start.class, this::onStart)
                .onCommand(Complete.class, this::onComplete)
                .onCommand(Fail.class, this::onFail)
                .onCommand(Cancel.class, this::onCancel)
                .onCommand(CancelConfirmed.class, this::onCancelConfirmed)
                .onCommand(Requeue.class, this::onRequeue)
                .onCommand(Get.class, this::onGet)
                .onCommand(EnsureEnqueued.class, this::onEnsureEnqueued)
                .onCommand(ReleaseLease.class, this::onReleaseLease)
                .onCommand(ReleaseOrphanedLease.class, this::onReleaseOrphanedLease)
                .onCommand(LeaseExpired.class, this::onLeaseExpired)
                .onCommand(RetryDue.class, this::onRetryDue)
                .onCommand(CancelGraceExpired.class, this::onCancelGraceExpired)
                .onCommand(PassivateIfDone.class, (s, c) -> onPassivateIfDone(s))
                .build();
    }

    // ---- command handlers --------------------------------------------------------------------

    private ReplyEffect<JobEvent, State> onSubmit(State s, Submit c) {
        if (s.exists()) {
            return Effect().reply(c.replyTo(), accepted(s));
        }
        if (c.deadline() != null && now().isAfter(c.deadline())) {
            return reject(c.replyTo(), ErrorCode.OVERLOADED, "job " + jobId + " was not created: its submit reached the entity after "
                    + "its deadline " + c.deadline(), Map.of("deadline", c.deadline().toString()));
        }
        JobSpec spec;
        try {
            // Cheap, and it guarantees the journal never holds a spec the rest of Spindle cannot read.
            spec = JobSpecValidator.validate(c.spec());
        } catch (ValidationException e) {
            return Effect().reply(c.replyTo(), new JobReply.Rejected(SpindleError.validation(e.errors())));
        }
        return persist(new JobEvent.Submitted(jobId, spec, c.configVersion(), c.replayOf(), c.origin(), now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onLease(State s, AcquireLease c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        Job job = s.job();
        if (job.status() != JobStatus.QUEUED) {
            return invalidState(c.replyTo(), job, "only a queued job can be leased");
        }
        Instant now = now();
        if (job.retryAt() != null && now.isBefore(job.retryAt())) {
            return reject(c.replyTo(), ErrorCode.NOT_YET_DUE, "job " + jobId + " may not be retried before " + job.retryAt(),
                    Map.of("retry_at", job.retryAt().toString()));
        }
        Duration ttl = c.ttl() == null ? settings.defaultLeaseTtl() : c.ttl();
        if (c.node() == null || c.worker() == null || ttl.isZero() || ttl.isNegative()) {
            return reject(c.replyTo(), ErrorCode.INVALID_REQUEST, "a lease needs a node, a worker and a positive ttl, got "
                    + c.node() + ", " + c.worker() + ", " + ttl, Map.of());
        }
        JobEvent.Leased leased = new JobEvent.Leased(jobId, job.attempt(), c.node(), c.worker(), now.plus(ttl), now);
        if (c.start()) {
            return persistAll(List.of(leased, new JobEvent.Started(jobId, job.attempt(), now)), c.replyTo());
        }
        return persist(leased, c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onHeartbeat(State s, String node, String worker, int attempt, Progress progress,
                                                     ActorRef<JobReply> replyTo) {
        if (!s.exists()) {
            return notFound(replyTo);
        }
        JobReply.Rejected mismatch = leaseMismatch(s, node, worker, attempt);
        if (mismatch != null) {
            return Effect().reply(replyTo, mismatch);
        }
        Instant extended = now().plus(s.leaseTtl());
        Instant current = leaseExpiry(s);
        useLiveAttempt(attempt);
        liveLeaseExpiry = extended.isAfter(current) ? extended : current;
        if (progress != null) {
            liveProgress = progress;
        }
        armAt(LEASE_TIMER, new LeaseExpired(attempt), liveLeaseExpiry);
        // The view carries cancelRequested: that is how the worker side learns of a cancel.
        return Effect().reply(replyTo, accepted(s));
    }

    private ReplyEffect<JobEvent, State> onStart(State s, Start c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        JobReply.Rejected mismatch = leaseMismatch(s, c.node(), c.worker(), c.attempt());
        if (mismatch != null) {
            return Effect().reply(c.replyTo(), mismatch);
        }
        if (s.job().status() == JobStatus.RUNNING) {
            return Effect().reply(c.replyTo(), accepted(s)); // a retried Start
        }
        return persist(new JobEvent.Started(jobId, c.attempt(), now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onComplete(State s, Complete c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        Job job = s.job();
        if (job.status() == JobStatus.SUCCEEDED && job.attempt() == c.attempt()) {
            return Effect().reply(c.replyTo(), accepted(s)); // a retried Complete
        }
        JobReply.Rejected mismatch = leaseMismatch(s, c.node(), c.worker(), c.attempt());
        if (mismatch != null) {
            return Effect().reply(c.replyTo(), mismatch);
        }
        ObjectNode outputs = c.outputs() == null ? JsonNodeFactory.instance.objectNode() : c.outputs();
        return persistReported(new JobEvent.Succeeded(jobId, c.attempt(), outputs, c.artifactIds(), now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onFail(State s, Fail c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        JobReply.Rejected mismatch = leaseMismatch(s, c.node(), c.worker(), c.attempt());
        if (mismatch != null) {
            return Effect().reply(c.replyTo(), mismatch);
        }
        JobError error = c.error() != null ? c.error()
                : JobError.permanent("unknown", "the worker reported a failure without an error");
        return persistReported(endOfAttempt(s, error, now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onCancel(State s, Cancel c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        Job job = s.job();
        String reason = c.reason() == null || c.reason().isBlank() ? DEFAULT_CANCEL_REASON : c.reason();
        if (job.status() == JobStatus.QUEUED) {
            return persist(new JobEvent.Canceled(jobId, reason, now()), c.replyTo());
        }
        if (isHeld(job)) {
            if (job.cancelRequested()) {
                return Effect().reply(c.replyTo(), accepted(s)); // already asked; the grace timer is running
            }
            return persist(new JobEvent.CancelRequested(jobId, reason, now()), c.replyTo());
        }
        return invalidState(c.replyTo(), job, "a finished job cannot be canceled");
    }

    private ReplyEffect<JobEvent, State> onCancelConfirmed(State s, CancelConfirmed c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        JobReply.Rejected mismatch = leaseMismatch(s, c.node(), c.worker(), c.attempt());
        if (mismatch != null) {
            return Effect().reply(c.replyTo(), mismatch);
        }
        if (!s.job().cancelRequested()) {
            return invalidState(c.replyTo(), s.job(), "no cancel was requested");
        }
        return persistReported(new JobEvent.Canceled(jobId, s.cancelReason(), now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onRequeue(State s, Requeue c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        if (s.job().status() != JobStatus.DEAD_LETTERED) {
            return invalidState(c.replyTo(), s.job(), "only a dead-lettered job can be requeued");
        }
        return persist(new JobEvent.Requeued(jobId, now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onGet(State s, Get c) {
        return s.exists() ? Effect().reply(c.replyTo(), accepted(s)) : notFound(c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onEnsureEnqueued(State s, EnsureEnqueued c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        outbox.resendIfStale(s.job(), c.minAge(), c.maxAge());
        return Effect().reply(c.replyTo(), accepted(s));
    }

    private ReplyEffect<JobEvent, State> onReleaseLease(State s, ReleaseLease c) {
        if (!s.exists()) {
            return notFound(c.replyTo());
        }
        Job job = s.job();
        int attempt = c.attempt() == null ? job.attempt() : c.attempt();
        JobReply.Rejected mismatch = leaseMismatch(s, c.node(), c.worker(), attempt);
        if (mismatch != null) {
            return Effect().reply(c.replyTo(), mismatch);
        }
        return persist(release(s, c.reason() == null ? "released by its holder" : c.reason(), now()), c.replyTo());
    }

    private ReplyEffect<JobEvent, State> onReleaseOrphanedLease(State s, ReleaseOrphanedLease m) {
        Job job = s.job();
        if (job == null || !isHeld(job) || job.attempt() != m.attempt()) {
            return Effect().noReply();
        }
        return persist(release(s, "node " + job.lease().node() + " restarted", now()), null);
    }

    /** How a held attempt ends when its lease is given back: queued again with the same attempt, or canceled. */
    private JobEvent release(State s, String reason, Instant now) {
        Job job = s.job();
        if (job.cancelRequested()) {
            return new JobEvent.Canceled(jobId, s.cancelReason(), now); // re-running would contradict the cancel
        }
        Lease lease = job.lease();
        return new JobEvent.LeaseReleased(jobId, job.attempt(), lease.node(), lease.worker(), reason, now);
    }

    // ---- timers ------------------------------------------------------------------------------

    private ReplyEffect<JobEvent, State> onLeaseExpired(State s, LeaseExpired m) {
        if (!s.exists() || !isHeld(s.job()) || s.job().attempt() != m.attempt()) {
            return Effect().noReply();
        }
        Instant now = now();
        Instant expiry = leaseExpiry(s);
        if (now.isBefore(expiry)) {
            armAt(LEASE_TIMER, m, expiry); // the scheduler ran ahead of the clock
            return Effect().noReply();
        }
        Lease lease = s.job().lease();
        JobError error = JobError.transientError(LEASE_EXPIRED,
                "lease of worker " + lease.worker() + " on node " + lease.node() + " expired at " + expiry);
        return persist(endOfAttempt(s, error, now), null);
    }

    private ReplyEffect<JobEvent, State> onRetryDue(State s, RetryDue m) {
        Job job = s.job();
        if (job == null || job.status() != JobStatus.QUEUED || job.attempt() != m.attempt() || job.retryAt() == null) {
            return Effect().noReply();
        }
        if (now().isBefore(job.retryAt())) {
            armAt(RETRY_TIMER, m, job.retryAt());
        } else {
            outbox.send(job);
        }
        return Effect().noReply();
    }

    private ReplyEffect<JobEvent, State> onCancelGraceExpired(State s, CancelGraceExpired m) {
        Job job = s.job();
        if (job == null || !isHeld(job) || !job.cancelRequested() || job.attempt() != m.attempt()) {
            return Effect().noReply();
        }
        Instant now = now();
        Instant deadline = s.cancelRequestedAt().plus(settings.cancelGrace());
        if (now.isBefore(deadline)) {
            armAt(CANCEL_GRACE_TIMER, m, deadline);
            return Effect().noReply();
        }
        log.info("job {} config {}: worker {} on node {} did not confirm the cancel within {}, ending it canceled",
                jobId, job.configId(), job.lease().worker(), job.lease().node(), settings.cancelGrace());
        return persist(new JobEvent.Canceled(jobId, s.cancelReason(), now), null);
    }

    private ReplyEffect<JobEvent, State> onPassivateIfDone(State s) {
        if (s.exists() && !s.job().status().isTerminal()) {
            return Effect().noReply();
        }
        if (shard == null) {
            return Effect().stop().thenNoReply();
        }
        shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        return Effect().noReply();
    }

    private void onRecoveryCompleted(State s) {
        Job job = s.job();
        if (job != null && isHeld(job) && incarnation.grantedByAnEarlierProcess(job.lease().node(), job.leasedAt())) {
            // No worker of this process holds it: hand it back now rather than when the lease runs out.
            ctx.getSelf().tell(new ReleaseOrphanedLease(job.attempt()));
        } else if (job != null && isHeld(job) && !job.lease().expiresAt().isAfter(now())) {
            // Heartbeats were not journaled: give a live worker one more chance to heartbeat before the lease is lost.
            useLiveAttempt(job.attempt());
            liveLeaseExpiry = now().plus(settings.leaseRecoveryGrace());
        }
        armTimers(s);
        if (job != null && job.status() == JobStatus.QUEUED && job.retryAt() == null) {
            // Outbox: the node may have died between persisting and enqueueing; a duplicate ticket is harmless.
            outbox.send(job);
        }
        if (job != null) {
            log.debug("job {} config {} recovered as {} (attempt {}) on node {}", jobId, job.configId(),
                    job.status().wireName(), job.attempt(), node);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** How an attempt ends when it fails or its lease runs out: canceled, failed, retried or dead-lettered. */
    private JobEvent endOfAttempt(State s, JobError error, Instant now) {
        Job job = s.job();
        if (job.cancelRequested()) {
            // Whatever the worker says, a cancel was asked for: retrying would contradict it.
            return new JobEvent.Canceled(jobId, s.cancelReason(), now);
        }
        if (!error.isTransient()) {
            return new JobEvent.Failed(jobId, job.attempt(), error, now);
        }
        if (job.hasAttemptsLeft()) {
            Duration delay = settings.retryBackoff().delayAfter(job.attempt(), ThreadLocalRandom.current().nextDouble());
            return new JobEvent.RetryScheduled(jobId, job.attempt(), error, now.plus(delay), now);
        }
        return new JobEvent.DeadLettered(jobId, job.attempt(), error, now);
    }

    /** Persists one transition; afterwards logs it, re-arms the timers, enqueues if due, and replies (replyTo may be null). */
    private ReplyEffect<JobEvent, State> persist(JobEvent event, ActorRef<JobReply> replyTo) {
        return persist(event, replyTo, false);
    }

    /** As {@link #persist}, for the end of an attempt its worker reported: its node counts the run metrics. */
    private ReplyEffect<JobEvent, State> persistReported(JobEvent event, ActorRef<JobReply> replyTo) {
        return persist(event, replyTo, true);
    }

    private ReplyEffect<JobEvent, State> persist(JobEvent event, ActorRef<JobReply> replyTo, boolean reportedByWorker) {
        EffectBuilder<JobEvent, State> effect = Effect().persist(event).thenRun((State s) -> afterPersist(event, s, reportedByWorker));
        return replyTo == null ? effect.thenNoReply() : effect.thenReply(replyTo, this::accepted);
    }

    /** Persists transitions that happen together in one atomic write (one journal document); then as {@link #persist}. */
    private ReplyEffect<JobEvent, State> persistAll(List<JobEvent> events, ActorRef<JobReply> replyTo) {
        return Effect().persist(events).thenRun((State s) -> events.forEach(event -> afterPersist(event, s, false)))
                .thenReply(replyTo, this::accepted);
    }

    private void afterPersist(JobEvent event, State s, boolean reportedByWorker) {
        if (event instanceof JobEvent.Leased e) {
            useLiveAttempt(e.attempt());
        }
        if (event instanceof JobEvent.LeaseReleased) {
            forgetLiveAttempt(); // the next lease may be of the same attempt: its extensions must not carry over
        }
        TransitionLog.log(event, s.job(), node);
        SpindleMetrics.get(ctx.getSystem()).transition(s.job(), event, reportedByWorker);
        armTimers(s);
        if (event instanceof JobEvent.Submitted || event instanceof JobEvent.Requeued || event instanceof JobEvent.LeaseReleased) {
            outbox.send(s.job());
        }
    }

    /** Arms exactly the timers the state calls for (absolute times, so re-arming is harmless) and cancels the rest. */
    private void armTimers(State s) {
        Job job = s.job();
        if (job == null || job.status().isTerminal()) {
            timers.cancel(LEASE_TIMER);
            timers.cancel(RETRY_TIMER);
            timers.cancel(CANCEL_GRACE_TIMER);
            if (!timers.isTimerActive(PASSIVATE_TIMER)) {
                timers.startSingleTimer(PASSIVATE_TIMER, PassivateIfDone.INSTANCE, settings.passivateAfter());
            }
            return;
        }
        timers.cancel(PASSIVATE_TIMER);
        if (isHeld(job)) {
            armAt(LEASE_TIMER, new LeaseExpired(job.attempt()), leaseExpiry(s));
        } else {
            timers.cancel(LEASE_TIMER);
        }
        if (isHeld(job) && job.cancelRequested()) {
            armAt(CANCEL_GRACE_TIMER, new CancelGraceExpired(job.attempt()), s.cancelRequestedAt().plus(settings.cancelGrace()));
        } else {
            timers.cancel(CANCEL_GRACE_TIMER);
        }
        if (job.status() == JobStatus.QUEUED && job.retryAt() != null) {
            armAt(RETRY_TIMER, new RetryDue(job.attempt()), job.retryAt());
        } else {
            timers.cancel(RETRY_TIMER);
        }
    }

    private void armAt(String key, Command message, Instant at) {
        Duration delay = Duration.between(now(), at);
        timers.startSingleTimer(key, message, delay.isNegative() ? Duration.ZERO : delay);
    }

    private void useLiveAttempt(int attempt) {
        if (liveAttempt != attempt) {
            liveAttempt = attempt;
            liveLeaseExpiry = null;
            liveProgress = null;
        }
    }

    private void forgetLiveAttempt() {
        liveAttempt = -1;
        liveLeaseExpiry = null;
        liveProgress = null;
    }

    /** The lease expiry including heartbeat extensions. */
    private Instant leaseExpiry(State s) {
        Job job = s.job();
        return liveAttempt == job.attempt() && liveLeaseExpiry != null ? liveLeaseExpiry : job.lease().expiresAt();
    }

    /** The job as replies show it: the journaled view plus the in-memory lease extension and progress. */
    private Job view(State s) {
        Job job = s.job();
        if (job.attempt() != liveAttempt) {
            return job;
        }
        if (liveLeaseExpiry != null && job.lease() != null) {
            job = job.withLeaseExpiry(liveLeaseExpiry);
        }
        return liveProgress == null ? job : job.withProgress(liveProgress);
    }

    private static boolean isHeld(Job job) {
        return (job.status() == JobStatus.LEASED || job.status() == JobStatus.RUNNING) && job.lease() != null;
    }

    /** Null when {@code worker} on {@code node} holds attempt {@code attempt}, else the rejection to reply. */
    private JobReply.Rejected leaseMismatch(State s, String node, String worker, int attempt) {
        Job job = s.job();
        Lease lease = job.lease();
        if (isHeld(job) && Objects.equals(lease.node(), node) && Objects.equals(lease.worker(), worker) && job.attempt() == attempt) {
            return null;
        }
        String holder = isHeld(job)
                ? "attempt " + job.attempt() + " is leased to worker " + lease.worker() + " on node " + lease.node()
                : "the job is " + job.status().wireName() + " and leased to no one";
        return new JobReply.Rejected(SpindleError.of(ErrorCode.LEASE_MISMATCH,
                "worker " + worker + " on node " + node + " does not hold attempt " + attempt + " of job " + jobId + ": " + holder,
                Map.of("status", job.status().wireName(), "attempt", job.attempt())));
    }

    private JobReply accepted(State s) {
        return new JobReply.Accepted(view(s));
    }

    private ReplyEffect<JobEvent, State> notFound(ActorRef<JobReply> replyTo) {
        return reject(replyTo, ErrorCode.JOB_NOT_FOUND, "no job " + jobId, Map.of());
    }

    private ReplyEffect<JobEvent, State> invalidState(ActorRef<JobReply> replyTo, Job job, String why) {
        return reject(replyTo, ErrorCode.INVALID_STATE, "job " + jobId + " is " + job.status().wireName() + ": " + why,
                Map.of("status", job.status().wireName()));
    }

    private ReplyEffect<JobEvent, State> reject(ActorRef<JobReply> replyTo, ErrorCode code, String message, Map<String, Object> details) {
        return Effect().reply(replyTo, new JobReply.Rejected(SpindleError.of(code, message, details)));
    }

    private Instant now() {
        return clock.instant();
    }
}
