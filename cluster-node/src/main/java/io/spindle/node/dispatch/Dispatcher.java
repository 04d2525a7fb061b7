package io.spindle.node.dispatch;

import io.micrometer.core.instrument.Counter;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.JobQueue;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.worker.WorkerHost;
import io.spindle.node.worker.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one hosted config's worker processes from the config's queue (docs/architecture.md, "From POST /jobs to
 * succeeded" and "Hosting directory and routing"). It owns the config's {@link WorkerProcess} children directly
 * (concurrency N from the {@link HostedConfig}) rather than through a separate pool actor: the dispatcher must know
 * exactly which workers are free to decide how much to take, so the free-slot bookkeeping ({@link WorkerSlots}) and
 * the take loop belong in one place.
 *
 * <h2>What it decides</h2>
 * How many of the config's queue entries this node takes, when, and which of its workers runs each. It does not
 * choose a node: every node hosting the config runs one dispatcher for it, all of them consumers in the config's
 * one consumer group, so the queue hands each entry to one of them and a node without a free worker simply does not
 * take. That pull is the whole of cross-node routing: no lookup in the hosting directory, no central balancer.
 *
 * <h2>The loop</h2>
 * While k > 0 workers are free and no take is in flight, take up to k entries (back-pressure: never more entries
 * than free workers; the queue hands out higher priority bands first). For each entry, reserve a worker and ask the
 * job's entity for a lease for it; granted → the worker gets the job, refused (stale or duplicate ticket, retry not
 * yet due, canceled…) → the worker is free again. Either way the entry is acknowledged, in batches that ride on
 * the next take (one round trip for both), or after {@code ack-flush-delay} when no take comes. An entry whose
 * lease ask times out is not acknowledged: it stays pending and is claimed again. Every {@code claim-stale-interval}
 * the next fetch is a claim instead of a take: entries pending with any consumer of the group for longer than
 * {@code claim-stale-min-idle} (a node that died between take and lease) are claimed and leased the same way.
 *
 * <h2>Example</h2>
 * Config {@code sdxl} is hosted by {@code gpu-1} (concurrency 2) and {@code gpu-2} (concurrency 1); its queue holds
 * one priority-8 ticket (band high) and four priority-5 ones (band normal). {@code gpu-1}'s dispatcher has two free
 * workers and takes two entries: the priority-8 ticket and the oldest normal one; {@code gpu-2}'s takes one, the
 * next normal ticket. {@code gpu-1} reserves {@code sdxl-w1} and {@code sdxl-w2} and asks both jobs for a lease. The
 * first is granted and {@code sdxl-w1} gets its Run; the second job was canceled meanwhile and refuses, so
 * {@code sdxl-w2} is free again and the next fetch takes one more entry; both entries are acknowledged in that take.
 * The other tickets wait until a worker says Ready, on whichever node that happens first. Had {@code gpu-2} died
 * between its take and its lease, its entry would stay pending; the first claim round of {@code gpu-1} after the
 * entry is {@code claim-stale-min-idle} old claims and leases it.
 *
 * <h2>Known caveats</h2>
 * <ul>
 *   <li>No scoring: the first node to take wins, whatever its warm models, free memory or the config's
 *   {@code preferred_node}.</li>
 *   <li>Priority orders entries within one config only; nothing balances one config against another on a node
 *   (each has its own workers, but they share the machine).</li>
 *   <li>A worker says Ready as soon as its process answered (its attempt's end is then still being reported, see
 *   {@link WorkerProcess}'s pipelining), but the next job still waits for a take and its lease round trip: nothing
 *   is taken for a worker that is busy.</li>
 *   <li>An entry whose lease ask timed out waits for a claim round, between {@code claim-stale-min-idle} and that
 *   plus {@code claim-stale-interval} (60–90 s by default); claims, like takes, need a free worker. If the entity
 *   had granted the lease before the ask timed out, the dispatcher's {@code ReleaseLease} gives it back (queued
 *   again, same attempt) as soon as the entity answers.</li>
 * </ul>
 */
public final class Dispatcher extends AbstractBehavior<Dispatcher.Command> {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final String RETRY_TIMER = "retry-fetch";
    private static final String CLAIM_TIMER = "claim";
    private static final String FLUSH_TIMER = "flush-acks";
    private static final String DEPTH_TIMER = "depth";
    /** Restart backoff of a worker actor that threw (a bug, not a dying process: that is handled inside it). */
    private static final Duration WORKER_ACTOR_BACKOFF_MIN = Duration.ofSeconds(1);
    private static final Duration WORKER_ACTOR_BACKOFF_MAX = Duration.ofSeconds(30);
    private static final double BACKOFF_JITTER = 0.2;

    public sealed interface Command {}

    private record WorkerStatus(WorkerProcess.Status status) implements Command {}

    /** What a take or claim returned; {@code acks} went with it (a take's), to be sent again if it failed. */
    private record Fetched(List<Delivery> deliveries, Throwable failure, boolean claimed, List<Delivery> acks) implements Command {}

    private record LeaseDecided(Delivery delivery, ActorRef<WorkerProcess.Command> worker, JobReply reply, Throwable failure)
            implements Command {}

    private record AcksSent(int count, Throwable failure) implements Command {}

    private record DepthMeasured(Long depth, Throwable failure) implements Command {}

    private enum Tick implements Command { RETRY_FETCH, CLAIM_DUE, FLUSH_ACKS, MEASURE_DEPTH }

    /**
     * The dispatcher of one hosted config on this node, with its worker processes. Supervised: an unexpected
     * exception restarts it (and its workers) after a backoff instead of stopping it.
     */
    public static Behavior<Command> create(HostedConfig hosted, WorkerHost host, JobQueue queue, DispatchSettings settings) {
        Behavior<Command> dispatcher = Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new Dispatcher(ctx, timers, hosted, host, queue, settings)));
        return Behaviors.supervise(dispatcher).onFailure(Exception.class,
                SupervisorStrategy.restartWithBackoff(WORKER_ACTOR_BACKOFF_MIN, WORKER_ACTOR_BACKOFF_MAX, BACKOFF_JITTER));
    }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final String configId;
    private final WorkerHost host;
    private final JobQueue queue;
    private final DispatchSettings settings;
    private final WorkerSlots<ActorRef<WorkerProcess.Command>> slots = new WorkerSlots<>();
    private final List<Delivery> pendingAcks = new ArrayList<>();
    private final AtomicLong depthGauge;
    private final Counter leasesAccepted;
    private final Counter leasesRejected;
    private final Counter leasesUndecided;
    private boolean fetching;
    private boolean paused;
    private boolean claimDue;

    private Dispatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, HostedConfig hosted, WorkerHost host,
                       JobQueue queue, DispatchSettings settings) {
        super(ctx);
        this.ctx = ctx;
        this.timers = timers;
        this.configId = hosted.configId();
        this.host = host;
        this.queue = queue;
        this.settings = settings;
        SpindleMetrics metrics = SpindleMetrics.get(ctx.getSystem());
        this.depthGauge = metrics.settableGauge("spindle_queue_depth", "Tickets of a config not yet taken by any node", "config", configId);
        String leases = "spindle_dispatch_leases";
        String leasesHelp = "Lease decisions on queue entries, by outcome";
        this.leasesAccepted = metrics.counter(leases, leasesHelp, "config", configId, "outcome", "accepted");
        this.leasesRejected = metrics.counter(leases, leasesHelp, "config", configId, "outcome", "rejected");
        this.leasesUndecided = metrics.counter(leases, leasesHelp, "config", configId, "outcome", "timeout");
        ActorRef<WorkerProcess.Status> statuses = ctx.messageAdapter(WorkerProcess.Status.class, WorkerStatus::new);
        for (int i = 1; i <= hosted.concurrency(); i++) {
            Behavior<WorkerProcess.Command> worker = Behaviors.supervise(WorkerProcess.create(configId, i, hosted.worker(), host, statuses))
                    .onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(
                            WORKER_ACTOR_BACKOFF_MIN, WORKER_ACTOR_BACKOFF_MAX, BACKOFF_JITTER));
            slots.add(ctx.spawn(worker, "w" + i), WorkerProcess.workerName(configId, i));
        }
        timers.startTimerWithFixedDelay(CLAIM_TIMER, Tick.CLAIM_DUE, settings.claimStaleInterval());
        if (!settings.gaugeInterval().isZero()) {
            timers.startTimerWithFixedDelay(DEPTH_TIMER, Tick.MEASURE_DEPTH, settings.gaugeInterval());
        }
        log.info("dispatcher of config {} on node {} started with {} workers: {}", configId, host.node(), hosted.concurrency(),
                hosted.worker().argv());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(WorkerStatus.class, this::onWorkerStatus)
                .onMessage(Fetched.class, this::onFetched)
                .onMessage(LeaseDecided.class, this::onLeaseDecided)
                .onMessage(AcksSent.class, this::onAcksSent)
                .onMessage(DepthMeasured.class, this::onDepthMeasured)
                .onMessageEquals(Tick.CLAIM_DUE, () -> {
                    claimDue = true;
                    return fetch();
                })
                .onMessageEquals(Tick.RETRY_FETCH, () -> {
                    paused = false;
                    return fetch();
                })
                .onMessageEquals(Tick.FLUSH_ACKS, this::flushAcks)
                .onMessageEquals(Tick.MEASURE_DEPTH, () -> {
                    ctx.pipeToSelf(call(() -> queue.depth(configId)), DepthMeasured::new);
                    return this;
                })
                .onSignal(PostStop.class, s -> flushAcks())
                .build();
    }

    private Behavior<Command> onWorkerStatus(WorkerStatus m) {
        if (m.status() instanceof WorkerProcess.Ready ready) {
            slots.ready(ready.worker(), ready.runsReceived());
        } else {
            slots.down(m.status().worker());
        }
        return fetch();
    }

    /** Takes (or claims, when due) as many entries as there are free workers, unless a take is in flight. */
    private Behavior<Command> fetch() {
        int free = slots.free();
        if (fetching || paused || free == 0) {
            return this;
        }
        fetching = true;
        boolean claim = claimDue;
        claimDue = false;
        List<Delivery> acks = claim ? List.of() : takePendingAcks();
        CompletionStage<List<Delivery>> got = claim
                ? call(() -> queue.claimStale(configId, host.node(), settings.claimStaleMinIdle(), free))
                : call(() -> queue.ackAndTake(acks, configId, host.node(), free, settings.takeBlock()));
        ctx.pipeToSelf(got, (deliveries, error) -> new Fetched(deliveries, error, claim, acks));
        return this;
    }

    private Behavior<Command> onFetched(Fetched m) {
        fetching = false;
        if (m.failure() != null) {
            m.acks().forEach(this::ack);
            log.warn("config {}: {} from the queue failed, trying again in {}: {}", configId, m.claimed() ? "claim" : "take",
                    settings.retryDelay(), m.failure().toString());
            paused = true;
            timers.startSingleTimer(RETRY_TIMER, Tick.RETRY_FETCH, settings.retryDelay());
            return this;
        }
        if (m.claimed() && !m.deliveries().isEmpty()) {
            log.info("config {}: claimed {} entries left unacknowledged by another consumer", configId, m.deliveries().size());
        }
        for (Delivery d : m.deliveries()) {
            lease(d);
        }
        return fetch();
    }

    private void lease(Delivery d) {
        ActorRef<WorkerProcess.Command> worker = slots.reserve();
        if (worker == null) {
            // A worker went down between take and delivery: leave the entry pending, it is claimed again later.
            log.warn("config {}: no free worker for job {}; its queue entry is left to be claimed again", configId, d.ticket().jobId());
            return;
        }
        String workerName = slots.name(worker);
        String node = host.node();
        Duration ttl = settings.leaseTtl();
        CompletionStage<JobReply> reply = PekkoStages.direct(JobEntity.entityRef(ctx.getSystem(), d.ticket().jobId())
                // The reserved worker is idle, so the job starts at once: lease and start in one journal write.
                .ask(r -> new JobEntity.AcquireLease(node, workerName, ttl, true, r), host.askTimeout()));
        ctx.pipeToSelf(reply, (r, error) -> new LeaseDecided(d, worker, r, error));
    }

    private Behavior<Command> onLeaseDecided(LeaseDecided m) {
        String jobId = m.delivery().ticket().jobId();
        if (m.failure() != null) {
            releaseUndecidedLease(jobId, slots.name(m.worker()));
            slots.release(m.worker());
            leasesUndecided.increment();
            log.warn("config {}: job {} did not answer the lease within {}; its lease, if granted, is given back and its queue "
                    + "entry is left to be claimed again", configId, jobId, host.askTimeout());
        } else if (m.reply() instanceof JobReply.Accepted accepted) {
            slots.assign(m.worker());
            m.worker().tell(new WorkerProcess.Run(accepted.job()));
            leasesAccepted.increment();
            ack(m.delivery());
        } else {
            slots.release(m.worker());
            leasesRejected.increment();
            if (log.isDebugEnabled()) {
                log.debug("config {}: job {} refused the lease: {}", configId, jobId, ((JobReply.Rejected) m.reply()).error().message());
            }
            ack(m.delivery());
        }
        // The acks go with the next take: at once if a worker is free, else when one is (or after ack-flush-delay).
        return fetch();
    }

    /**
     * The entity may have granted the lease after the ask gave up: no worker got the job, so the lease is handed back
     * at once instead of blocking the job until it expires. A no-op if it was not granted (the entity checks the holder).
     */
    private void releaseUndecidedLease(String jobId, String workerName) {
        JobEntity.entityRef(ctx.getSystem(), jobId).tell(new JobEntity.ReleaseLease(host.node(), workerName, null,
                "the dispatcher gave up waiting for the lease", ctx.getSystem().ignoreRef()));
    }

    private void ack(Delivery d) {
        pendingAcks.add(d);
        if (pendingAcks.size() >= settings.ackMaxBatch()) {
            flushAcks();
        } else if (!timers.isTimerActive(FLUSH_TIMER)) {
            timers.startSingleTimer(FLUSH_TIMER, Tick.FLUSH_ACKS, settings.ackFlushDelay());
        }
    }

    private Behavior<Command> flushAcks() {
        List<Delivery> batch = takePendingAcks();
        if (!batch.isEmpty()) {
            ctx.pipeToSelf(call(() -> queue.ack(batch)), (done, error) -> new AcksSent(batch.size(), error));
        }
        return this;
    }

    /** The acks waiting to be sent, now the caller's to send; none wait any more. */
    private List<Delivery> takePendingAcks() {
        timers.cancel(FLUSH_TIMER);
        if (pendingAcks.isEmpty()) {
            return List.of();
        }
        List<Delivery> batch = List.copyOf(pendingAcks);
        pendingAcks.clear();
        return batch;
    }

    private Behavior<Command> onAcksSent(AcksSent m) {
        if (m.failure() != null) {
            // Harmless beyond a delay: the entries are claimed again, and the entity refuses a second lease.
            log.warn("config {}: acknowledging {} queue entries failed: {}", configId, m.count(), m.failure().toString());
        }
        return this;
    }

    private Behavior<Command> onDepthMeasured(DepthMeasured m) {
        if (m.failure() == null && m.depth() != null) {
            depthGauge.set(m.depth());
        }
        return this;
    }

    /** A queue call whose synchronous exception becomes a failed stage, so the loop always gets an answer. */
    private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
