package io.spindle.model.queue;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The job queue in this JVM's memory, for tests of dispatchers; same contract as the Redis one:
 * priorities grouped into bands taken highest first (FIFO within a band), one consumer group per config,
 * a pending list per config whose idle times come from the injected {@link Clock}, so
 * {@link #claimStale} can be tested without waiting. A blocking {@link #take} waits in real time.
 */
public final class InMemoryJobQueue implements JobQueue {
    /** Band floors of the Redis queue's default configuration: high 7-9, normal 3-6, low 0-2. */
    public static final int[] DEFAULT_BAND_FLOORS = {7, 3, 0};
    private static final String[] DEFAULT_BAND_NAMES = {"high", "normal", "low"};
    private static final String STREAM_PREFIX = "spindle:q:{";

    private final Clock clock;
    private final int[] bandFloors;
    private final Map<String, ConfigQueue> queues = new HashMap<>();
    private long nextSeq = 1;

    public InMemoryJobQueue() {
        this(Clock.systemUTC());
    }

    public InMemoryJobQueue(Clock clock) {
        this(clock, DEFAULT_BAND_FLOORS);
    }

    /**
     * @param bandFloors the lowest priority of each band, highest band first (e.g. {@code 7, 3, 0});
     *                   strictly descending; a ticket below the last floor goes to the last band
     */
    public InMemoryJobQueue(Clock clock, int... bandFloors) {
        if (bandFloors.length == 0) {
            throw new IllegalArgumentException("at least one band is needed");
        }
        for (int i = 1; i < bandFloors.length; i++) {
            if (bandFloors[i] >= bandFloors[i - 1]) {
                throw new IllegalArgumentException("band floors must be strictly descending: " + Arrays.toString(bandFloors));
            }
        }
        this.clock = clock;
        this.bandFloors = bandFloors.clone();
    }

    @Override
    public CompletionStage<Void> enqueue(QueueTicket ticket) {
        return enqueueAll(List.of(ticket));
    }

    @Override
    public CompletionStage<Void> enqueueAll(List<QueueTicket> tickets) {
        List<Handover> handovers = new ArrayList<>();
        synchronized (this) {
            for (QueueTicket t : tickets) {
                int band = bandOf(t.priority());
                ConfigQueue q = queue(t.configId());
                q.bands.get(band).addLast(new Entry(nextSeq++, streamName(t.configId(), band), t));
            }
            Set<String> configs = new LinkedHashSet<>();
            tickets.forEach(t -> configs.add(t.configId()));
            configs.forEach(c -> serveWaiters(c, handovers));
        }
        completeHandovers(handovers);
        return completedFuture(null);
    }

    @Override
    public CompletionStage<List<Delivery>> take(String configId, String consumer, int max, Duration block) {
        if (max <= 0) {
            return completedFuture(List.of());
        }
        CompletableFuture<List<Delivery>> future = new CompletableFuture<>();
        synchronized (this) {
            List<Delivery> got = deliver(queue(configId), consumer, max);
            if (!got.isEmpty() || block.isZero() || block.isNegative()) {
                return completedFuture(got);
            }
            Waiter waiter = new Waiter(consumer, max, future);
            ConfigQueue q = queue(configId);
            q.waiters.addLast(waiter);
            future.whenComplete((r, e) -> {
                synchronized (this) {
                    q.waiters.remove(waiter);
                }
            });
        }
        return future.completeOnTimeout(List.of(), block.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized CompletionStage<Void> ack(List<Delivery> deliveries) {
        for (Delivery d : deliveries) {
            ConfigQueue q = queues.get(d.ticket().configId());
            Long seq = parseId(d.deliveryId());
            if (q != null && seq != null) {
                q.pending.remove(seq);
            }
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<Delivery>> claimStale(String configId, String consumer, Duration minIdle, int max) {
        ConfigQueue q = queues.get(configId);
        if (q == null || max <= 0) {
            return completedFuture(List.of());
        }
        Instant now = clock.instant();
        List<Pending> stale = new ArrayList<>();
        for (Pending p : q.pending.values()) {
            if (Duration.between(p.deliveredAt, now).compareTo(minIdle) >= 0) {
                stale.add(p);
            }
        }
        // Higher bands first, oldest first within a band: the Redis queue claims band by band in id order.
        stale.sort((a, b) -> a.band != b.band ? Integer.compare(a.band, b.band) : Long.compare(a.entry.seq, b.entry.seq));
        List<Delivery> claimed = new ArrayList<>();
        for (Pending p : stale.subList(0, Math.min(max, stale.size()))) {
            p.consumer = consumer;
            p.deliveredAt = now;
            claimed.add(p.entry.delivery());
        }
        return completedFuture(claimed);
    }

    @Override
    public synchronized CompletionStage<Long> depth(String configId) {
        ConfigQueue q = queues.get(configId);
        return completedFuture(q == null ? 0L : q.bands.stream().mapToLong(Deque::size).sum());
    }

    /** Deliveries of a config taken but not acked yet (the consumer group's pending list). */
    public synchronized int pendingCount(String configId) {
        ConfigQueue q = queues.get(configId);
        return q == null ? 0 : q.pending.size();
    }

    /** The consumer currently holding a pending delivery, or null when it is not pending. */
    public synchronized String pendingConsumer(Delivery delivery) {
        ConfigQueue q = queues.get(delivery.ticket().configId());
        Long seq = parseId(delivery.deliveryId());
        Pending p = q == null || seq == null ? null : q.pending.get(seq);
        return p == null ? null : p.consumer;
    }

    private int bandOf(int priority) {
        for (int i = 0; i < bandFloors.length; i++) {
            if (priority >= bandFloors[i]) {
                return i;
            }
        }
        return bandFloors.length - 1;
    }

    private String streamName(String configId, int band) {
        String name = bandFloors.length == DEFAULT_BAND_NAMES.length ? DEFAULT_BAND_NAMES[band] : "b" + band;
        return STREAM_PREFIX + configId + "}:" + name;
    }

    private ConfigQueue queue(String configId) {
        return queues.computeIfAbsent(configId, id -> new ConfigQueue(bandFloors.length));
    }

    /** Moves up to {@code max} entries, highest band first, to the pending list of {@code consumer}. */
    private List<Delivery> deliver(ConfigQueue q, String consumer, int max) {
        List<Delivery> out = new ArrayList<>();
        Instant now = clock.instant();
        for (int band = 0; band < q.bands.size() && out.size() < max; band++) {
            Deque<Entry> entries = q.bands.get(band);
            while (!entries.isEmpty() && out.size() < max) {
                Entry e = entries.pollFirst();
                q.pending.put(e.seq, new Pending(e, band, consumer, now));
                out.add(e.delivery());
            }
        }
        return out;
    }

    private void serveWaiters(String configId, List<Handover> handovers) {
        ConfigQueue q = queue(configId);
        Iterator<Waiter> it = q.waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (w.future.isDone()) {
                it.remove();
                continue;
            }
            List<Delivery> got = deliver(q, w.consumer, w.max);
            if (got.isEmpty()) {
                return;
            }
            it.remove();
            handovers.add(new Handover(configId, w, got));
        }
    }

    /**
     * Completes waiters outside the lock (their continuations may call back in). A waiter that timed out
     * meanwhile did not get its entries: they go back to the front of their bands, undelivered.
     */
    private void completeHandovers(List<Handover> handovers) {
        for (Handover h : handovers) {
            if (!h.waiter.future.complete(h.deliveries)) {
                synchronized (this) {
                    ConfigQueue q = queue(h.configId);
                    for (int i = h.deliveries.size() - 1; i >= 0; i--) {
                        Pending p = q.pending.remove(parseId(h.deliveries.get(i).deliveryId()));
                        if (p != null) {
                            q.bands.get(p.band).addFirst(p.entry);
                        }
                    }
                }
            }
        }
    }

    private static Long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class ConfigQueue {
        final List<Deque<Entry>> bands = new ArrayList<>();
        /** Pending entries by sequence number, like a Redis consumer group's PEL. */
        final TreeMap<Long, Pending> pending = new TreeMap<>();
        final Deque<Waiter> waiters = new ArrayDeque<>();

        ConfigQueue(int bandCount) {
            for (int i = 0; i < bandCount; i++) {
                bands.add(new ArrayDeque<>());
            }
        }
    }

    private record Entry(long seq, String stream, QueueTicket ticket) {
        Delivery delivery() {
            return new Delivery(ticket, Long.toString(seq), stream);
        }
    }

    private static final class Pending {
        final Entry entry;
        final int band;
        String consumer;
        Instant deliveredAt;

        Pending(Entry entry, int band, String consumer, Instant deliveredAt) {
            this.entry = entry;
            this.band = band;
            this.consumer = consumer;
            this.deliveredAt = deliveredAt;
        }
    }

    private record Waiter(String consumer, int max, CompletableFuture<List<Delivery>> future) {}

    private record Handover(String configId, Waiter waiter, List<Delivery> deliveries) {}
}
