package io.spindle.model.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Test double of the queue swap point for tests of what enqueues (JobEntity, the gateway): records every
 * enqueued ticket and hands it to an optional listener, delivers none, and can be told to fail.
 */
public final class RecordingJobQueue implements JobQueue {
    private final List<QueueTicket> tickets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Consumer<QueueTicket> onEnqueue;

    public RecordingJobQueue() {
        this(ticket -> {});
    }

    /** @param onEnqueue gets each ticket once it is recorded, e.g. to hand it to a stand-in worker */
    public RecordingJobQueue(Consumer<QueueTicket> onEnqueue) {
        this.onEnqueue = onEnqueue;
    }

    /** Every ticket enqueued so far, in order. */
    public List<QueueTicket> tickets() {
        return List.copyOf(tickets);
    }

    /** How many tickets of this job were enqueued so far. */
    public long ticketsOf(String jobId) {
        return tickets.stream().filter(t -> t.jobId().equals(jobId)).count();
    }

    /** While failing, every enqueue fails (as when Redis is down) and records nothing. */
    public void failing(boolean value) {
        failing.set(value);
    }

    @Override
    public CompletionStage<Void> enqueue(QueueTicket ticket) {
        return enqueueAll(List.of(ticket));
    }

    @Override
    public CompletionStage<Void> enqueueAll(List<QueueTicket> batch) {
        if (failing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("queue down (test)"));
        }
        tickets.addAll(batch);
        batch.forEach(onEnqueue);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<Delivery>> take(String configId, String consumer, int max, Duration block) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Void> ack(List<Delivery> deliveries) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<Delivery>> claimStale(String configId, String consumer, Duration minIdle, int max) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** The tickets of a config recorded so far: none is ever delivered. */
    @Override
    public CompletionStage<Long> depth(String configId) {
        return CompletableFuture.completedFuture(tickets.stream().filter(t -> t.configId().equals(configId)).count());
    }
}
