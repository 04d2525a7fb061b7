package io.spindle.node.queue;

import io.spindle.model.queue.Delivery;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This node's takes that found their config's queue empty and now wait for a ready signal. An enqueue from this
 * node for such a config serves one of them in its own round trip ({@link StreamScripts#ENQUEUE_TAKE}: the tickets
 * are added and read for the waiting consumer in one script), so a job submitted to the node that runs it reaches
 * its dispatcher without the pub/sub signal and the second read. The streams stay the queue: the entries are added,
 * delivered to the consumer (pending in its group) and acked like any other.
 *
 * <p>Exactly one side gets a waiter: an enqueue that {@link #claim claims} it must {@link Waiter#serve serve} it,
 * and the take then returns what was served; a take that wakes on its own (signal, recheck, shutdown) first
 * {@link #withdraw withdraws}, and only reads itself if no enqueue claimed it meanwhile. So entries read for a
 * consumer are always handed to a take that returns them.
 */
final class WaitingTakes {
    private final Map<String, Queue<Waiter>> byConfig = new ConcurrentHashMap<>();

    /** One take waiting on an empty queue: who reads, how many at most, and what an enqueue served it. */
    static final class Waiter {
        private final String consumer;
        private final int max;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<List<Delivery>> served = new CompletableFuture<>();

        private Waiter(String consumer, int max) {
            this.consumer = consumer;
            this.max = max;
        }

        String consumer() {
            return consumer;
        }

        int max() {
            return max;
        }

        /** Completes with the entries an enqueue read for this take (empty when its script failed). */
        CompletableFuture<List<Delivery>> served() {
            return served;
        }

        /** What the claiming enqueue read for this take; empty if it read nothing or failed (the take reads again). */
        void serve(List<Delivery> deliveries) {
            served.complete(deliveries == null ? List.of() : deliveries);
        }
    }

    /** Registers a take of {@code configId} that waits; it must later {@link #withdraw} unless it was served. */
    Waiter park(String configId, String consumer, int max) {
        Waiter waiter = new Waiter(consumer, max);
        byConfig.computeIfAbsent(configId, id -> new ConcurrentLinkedQueue<>()).add(waiter);
        return waiter;
    }

    /** A waiting take of {@code configId} that the caller now serves (it must call {@link Waiter#serve}), or null. */
    Waiter claim(String configId) {
        Queue<Waiter> waiting = byConfig.get(configId);
        if (waiting == null) {
            return null;
        }
        for (Waiter w = waiting.poll(); w != null; w = waiting.poll()) {
            if (w.claimed.compareAndSet(false, true)) {
                return w;
            }
        }
        return null;
    }

    /** Takes of {@code configId} waiting now. */
    int count(String configId) {
        Queue<Waiter> waiting = byConfig.get(configId);
        return waiting == null ? 0 : waiting.size();
    }

    /**
     * The take woke on its own: true if it is no longer waiting and may read itself; false if an enqueue claimed it
     * first, in which case its result is {@link Waiter#served}.
     */
    boolean withdraw(String configId, Waiter waiter) {
        if (!waiter.claimed.compareAndSet(false, true)) {
            return false;
        }
        Queue<Waiter> waiting = byConfig.get(configId);
        if (waiting != null) {
            waiting.remove(waiter);
        }
        return true;
    }
}
