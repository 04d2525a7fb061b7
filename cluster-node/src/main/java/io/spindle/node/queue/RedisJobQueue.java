package io.spindle.node.queue;

import static java.util.concurrent.CompletableFuture.completedFuture;

import com.typesafe.config.Config;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RStreamAsync;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue on Redis streams. Each config has one stream per priority band,
 * {@code spindle:q:{config}:high|normal|low} (see {@link QueueSettings}), each with one consumer group
 * that every node hosting the config joins as one consumer. Entries hold the ticket as fields
 * {@code job}, {@code pri}, {@code att}; the config id is in the key.
 *
 * <p>Enqueueing: one script call per config XADDs a whole batch and publishes one ready signal; the calls
 * of a multi-config batch are pipelined, so a batch costs one round trip. Single enqueues (one per job
 * entity) are coalesced into such batches while one is on its way.
 *
 * <p>Taking: one Lua script reads the bands highest first with XREADGROUP and stops at {@code max}
 * entries, so a dispatcher is never handed more than its free worker slots, and creates a missing group
 * on the way (first use, or Redis was flushed: Redis is only transport; the JobEntity outbox re-enqueues).
 *
 * <p>Waiting, and why no blocking XREADGROUP: a blocking read holds a pooled connection for its whole
 * block time, so one node's dispatchers (one per hosted config) would pin one connection each and
 * enqueues/acks would queue behind them once a node hosts about as many configs as the pool has
 * connections; and a blocking read of one band, or of several bands with a COUNT per stream, cannot both
 * honour band order and {@code max}. Instead a take that finds nothing waits in the JVM for the config's
 * pub/sub ready signal (see {@link ReadySignals}), re-reading at least every {@code recheck-interval}, then
 * runs the script again. Waiting takes hold no command connection, any number of configs share a small
 * pool, and a signal for one config never delays another. An enqueue from this node for a config whose take
 * here is waiting serves that take in its own round trip instead ({@link WaitingTakes}): the usual path of a
 * job submitted to a node that runs it, which then costs one round trip from enqueue to dispatcher, not three
 * hops (enqueue, signal, read).
 *
 * <p>Memory stays flat: acks XACK and XDEL the entries ({@code ack-deletes}), inside the dispatcher's next take
 * ({@link #ackAndTake}) or else in one pipelined round trip;
 * a periodic trim (after takes, at most every {@code trim-interval} per config and node) XTRIMs each band below its oldest pending or
 * undelivered entry and drops long-idle empty consumers. Undelivered entries are never trimmed.
 *
 * <p>Delivery is at least once: an entry whose take reply was lost stays pending and comes back
 * through {@link #claimStale}. A duplicate ticket is harmless (Lease rejects it).
 */
public final class RedisJobQueue implements JobQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisJobQueue.class);
    /** Strings per entry in a take/claim script reply: stream, id, job, priority, attempt. */
    private static final int ENTRY_STRIDE = 5;

    private final RedissonClient redisson;
    private final QueueSettings settings;
    private final RScript scripts;
    private final ReadySignals signals;
    private final Map<String, Long> lastTrimNanos = new ConcurrentHashMap<>();
    private final Map<String, List<Object>> streamKeys = new ConcurrentHashMap<>();
    private final EnqueueCoalescer coalescer;
    private final WaitingTakes waitingTakes = new WaitingTakes();
    private final LongAdder roundTrips = new LongAdder();

    public RedisJobQueue(RedissonClient redisson, QueueSettings settings) {
        this.redisson = redisson;
        this.settings = settings;
        this.scripts = redisson.getScript(StringCodec.INSTANCE);
        this.signals = new ReadySignals(redisson, settings);
        this.coalescer = new EnqueueCoalescer(this::enqueueAll, settings.enqueueChunk());
    }

    /** A queue with {@code spindle.queue} of {@code root}; the client stays the caller's to shut down. */
    public static RedisJobQueue fromConfig(RedissonClient redisson, Config root) {
        return new RedisJobQueue(redisson, QueueSettings.fromConfig(root));
    }

    public QueueSettings settings() {
        return settings;
    }

    /** Joins the next batch of enqueues (see {@link EnqueueCoalescer}): concurrent callers share one round trip. */
    @Override
    public CompletionStage<Void> enqueue(QueueTicket ticket) {
        return coalescer.enqueue(ticket);
    }

    /**
     * One enqueue script call per config (per {@code enqueue-chunk} tickets): its XADDs plus one ready
     * signal. Several calls are pipelined in one round trip.
     */
    @Override
    public CompletionStage<Void> enqueueAll(List<QueueTicket> tickets) {
        if (tickets.isEmpty()) {
            return completedFuture(null);
        }
        Map<String, List<QueueTicket>> byConfig = new LinkedHashMap<>();
        for (QueueTicket t : tickets) {
            byConfig.computeIfAbsent(t.configId(), c -> new ArrayList<>()).add(t);
        }
        List<EnqueueCall> calls = new ArrayList<>();
        byConfig.forEach((configId, list) -> {
            // A take of this node waiting for the config is served by the config's first call.
            WaitingTakes.Waiter waiter = waitingTakes.claim(configId);
            for (int from = 0; from < list.size(); from += settings.enqueueChunk()) {
                calls.add(enqueueCall(configId, list.subList(from, Math.min(list.size(), from + settings.enqueueChunk())),
                        from == 0 ? waiter : null));
            }
        });
        roundTrips.increment();
        if (calls.size() == 1) {
            return calls.get(0).sendTo(scripts).thenApply(r -> null);
        }
        RBatch batch = redisson.createBatch(BatchOptions.defaults());
        RScriptAsync batchScripts = batch.getScript(StringCodec.INSTANCE);
        calls.forEach(call -> call.sendTo(batchScripts));
        return batch.executeAsync().whenComplete((r, error) -> {
            if (error != null) {
                calls.forEach(call -> call.serve(null)); // in case the batch failed before its calls were answered
            }
        }).thenApply(r -> null);
    }

    /** The arguments of {@link StreamScripts#ENQUEUE}, or of ENQUEUE_TAKE with a waiting take, for some tickets of one config. */
    private EnqueueCall enqueueCall(String configId, List<QueueTicket> tickets, WaitingTakes.Waiter waiter) {
        List<Object> args = new ArrayList<>(5 + 4 * tickets.size());
        args.add(settings.readyChannel(configId));
        args.add(configId);
        if (waiter != null) {
            args.add(settings.group());
            args.add(waiter.consumer());
            args.add(Integer.toString(waiter.max()));
        }
        for (QueueTicket t : tickets) {
            args.add(Integer.toString(settings.bandOf(t.priority()) + 1));
            args.add(t.jobId());
            args.add(Integer.toString(t.priority()));
            args.add(Integer.toString(t.attempt()));
        }
        return new EnqueueCall(configId, keys(configId), args.toArray(), waiter);
    }

    /** One enqueue script call; with a waiter, it also takes for that waiting take and hands it what it read. */
    private record EnqueueCall(String configId, List<Object> keys, Object[] args, WaitingTakes.Waiter waiter) {
        RFuture<?> sendTo(RScriptAsync target) {
            if (waiter == null) {
                return target.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.ENQUEUE, RScript.ReturnType.INTEGER, keys, args);
            }
            RFuture<List<Object>> reply = target.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.ENQUEUE_TAKE,
                    RScript.ReturnType.MULTI, keys, args);
            reply.whenComplete((flat, error) -> {
                List<Delivery> read = null;
                try {
                    read = error == null ? deliveries(configId, flat) : null;
                } finally {
                    serve(read); // whatever happens, the claimed take gets an answer and does not wait for ever
                }
            });
            return reply;
        }

        /** Hands the waiting take what was read for it (null: nothing, it reads again). A no-op without one, or once served. */
        void serve(List<Delivery> deliveries) {
            if (waiter != null) {
                waiter.serve(deliveries);
            }
        }
    }

    @Override
    public CompletionStage<List<Delivery>> take(String configId, String consumer, int max, Duration block) {
        return ackAndTake(List.of(), configId, consumer, max, block);
    }

    /** The acks of entries in this config's streams go in the take's first read ({@link StreamScripts#ACK_TAKE}). */
    @Override
    public CompletionStage<List<Delivery>> ackAndTake(List<Delivery> acks, String configId, String consumer, int max,
                                                      Duration block) {
        if (max <= 0) {
            return acks.isEmpty() ? completedFuture(List.of()) : ack(acks).thenApply(done -> List.of());
        }
        List<Object> streams = keys(configId);
        List<String> ackArgs = new ArrayList<>(2 * acks.size());
        List<Delivery> others = new ArrayList<>(0);
        for (Delivery d : acks) {
            int band = streams.indexOf(d.stream());
            if (band < 0 || parseId(d.deliveryId()) == null) {
                others.add(d); // not this config's (or not an entry id): ack() sorts it out
            } else {
                ackArgs.add(Integer.toString(band + 1));
                ackArgs.add(d.deliveryId());
            }
        }
        CompletionStage<Void> othersAcked = others.isEmpty() ? completedFuture(null) : ack(others);
        long deadline = System.nanoTime() + Math.max(0, block.toNanos());
        maybeTrim(configId);
        return othersAcked.thenCompose(done -> signals.channel(configId))
                .thenCompose(ch -> takeUntil(ch, configId, consumer, max, deadline, ackArgs));
    }

    private CompletionStage<List<Delivery>> takeUntil(ReadySignals.Channel ch, String configId, String consumer, int max, long deadline,
                                                      List<String> ackArgs) {
        long seen = ch.generation();
        return readNew(configId, consumer, max, ackArgs).thenCompose(got -> {
            long left = deadline - System.nanoTime();
            if (!got.isEmpty() || left <= 0) {
                return completedFuture(got);
            }
            long wait = Math.min(left, settings.recheckInterval().toNanos());
            WaitingTakes.Waiter waiter = waitingTakes.park(configId, consumer, max);
            CompletableFuture<Void> signalled = ch.awaitChange(seen, wait);
            return CompletableFuture.anyOf(signalled, waiter.served()).thenCompose(woke -> {
                if (waitingTakes.withdraw(configId, waiter)) {
                    return takeUntil(ch, configId, consumer, max, deadline, List.of());
                }
                // An enqueue of this node claimed the take: its read is the answer (nothing read: read again).
                signalled.complete(null);
                return waiter.served().thenCompose(served -> served.isEmpty()
                        ? takeUntil(ch, configId, consumer, max, deadline, List.of())
                        : completedFuture(served));
            });
        });
    }

    /** One take script call; with {@code ackArgs} (band, id pairs), the ack-and-take one. */
    private CompletionStage<List<Delivery>> readNew(String configId, String consumer, int max, List<String> ackArgs) {
        roundTrips.increment();
        CompletionStage<List<Object>> reply;
        if (ackArgs.isEmpty()) {
            reply = scripts.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.TAKE,
                    RScript.ReturnType.MULTI, keys(configId), settings.group(), consumer, Integer.toString(max));
        } else {
            List<Object> args = new ArrayList<>(4 + ackArgs.size());
            args.add(settings.group());
            args.add(consumer);
            args.add(Integer.toString(max));
            args.add(settings.ackDeletes() ? "1" : "0");
            args.addAll(ackArgs);
            reply = scripts.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.ACK_TAKE,
                    RScript.ReturnType.MULTI, keys(configId), args.toArray());
        }
        return reply.thenApply(flat -> deliveries(configId, flat));
    }

    /** XACK (and XDEL with ack-deletes) per stream, pipelined in one round trip. Unknown ids are ignored. */
    @Override
    public CompletionStage<Void> ack(List<Delivery> deliveries) {
        Map<String, List<StreamMessageId>> byStream = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            StreamMessageId id = parseId(d.deliveryId());
            if (id == null) {
                log.warn("Ignoring ack of delivery {} of job {}: not a stream entry id", d.deliveryId(), d.ticket().jobId());
                continue;
            }
            byStream.computeIfAbsent(d.stream(), s -> new ArrayList<>()).add(id);
        }
        if (byStream.isEmpty()) {
            return completedFuture(null);
        }
        roundTrips.increment();
        RBatch batch = redisson.createBatch(BatchOptions.defaults());
        byStream.forEach((key, ids) -> {
            RStreamAsync<String, String> stream = batch.getStream(key, StringCodec.INSTANCE);
            StreamMessageId[] array = ids.toArray(StreamMessageId[]::new);
            stream.ackAsync(settings.group(), array);
            if (settings.ackDeletes()) {
                stream.removeAsync(array);
            }
        });
        return batch.executeAsync().thenApply(r -> null);
    }

    @Override
    public CompletionStage<List<Delivery>> claimStale(String configId, String consumer, Duration minIdle, int max) {
        if (max <= 0) {
            return completedFuture(List.of());
        }
        roundTrips.increment();
        CompletionStage<List<Object>> reply = scripts.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.CLAIM,
                RScript.ReturnType.MULTI, keys(configId), settings.group(), consumer,
                Long.toString(minIdle.toMillis()), Integer.toString(max), Integer.toString(settings.claimScansPerBand()));
        return reply.thenApply(flat -> deliveries(configId, flat));
    }

    /** XLEN minus pending entries over all bands: exact with ack-deletes on, see {@link StreamScripts#DEPTH}. */
    @Override
    public CompletionStage<Long> depth(String configId) {
        roundTrips.increment();
        return scripts.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.DEPTH, RScript.ReturnType.INTEGER,
                keys(configId), settings.group());
    }

    /** Trims a config's streams now (see {@link StreamScripts#TRIM}); the number of entries removed. */
    public CompletionStage<Long> trim(String configId) {
        roundTrips.increment();
        return scripts.evalAsync(RScript.Mode.READ_WRITE, StreamScripts.TRIM, RScript.ReturnType.INTEGER,
                keys(configId), settings.group(), Long.toString(settings.consumerExpiry().toMillis()));
    }

    /** Command round trips to Redis so far (a pipelined batch or a script call is one); pub/sub not counted. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Takes of this node waiting on the config's empty queue (which an enqueue of this node would serve). */
    int waitingTakes(String configId) {
        return waitingTakes.count(configId);
    }

    /** Stops listening for ready signals and wakes waiting takes; the Redisson client stays open. */
    @Override
    public void close() {
        signals.close();
    }

    private void maybeTrim(String configId) {
        long interval = settings.trimInterval().toNanos();
        if (interval <= 0) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastTrimNanos.putIfAbsent(configId, now);
        // The first take of a config only starts the clock; later ones trim once the interval has passed.
        if (last == null || now - last < interval || !lastTrimNanos.replace(configId, last, now)) {
            return;
        }
        trim(configId).whenComplete((n, e) -> {
            if (e != null) {
                log.warn("Trimming the queue of config {} failed: {}", configId, e.toString());
            } else if (n > 0) {
                log.debug("Trimmed {} acked entries from the queue of config {}", n, configId);
            }
        });
    }

    /** The config's band streams (the scripts' KEYS), built once per config rather than at every call. */
    private List<Object> keys(String configId) {
        return streamKeys.computeIfAbsent(configId, id -> List.copyOf(settings.streamKeys(id)));
    }

    private static List<Delivery> deliveries(String configId, List<Object> flat) {
        List<Delivery> out = new ArrayList<>(flat.size() / ENTRY_STRIDE);
        for (int i = 0; i + ENTRY_STRIDE <= flat.size(); i += ENTRY_STRIDE) {
            QueueTicket ticket = new QueueTicket(
                    (String) flat.get(i + 2),
                    configId,
                    Integer.parseInt((String) flat.get(i + 3)),
                    Integer.parseInt((String) flat.get(i + 4)));
            out.add(new Delivery(ticket, (String) flat.get(i + 1), (String) flat.get(i)));
        }
        return out;
    }

    private static StreamMessageId parseId(String id) {
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return new StreamMessageId(Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
