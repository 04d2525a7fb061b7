package io.spindle.node.job;

import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Test double of the queue swap point: records every enqueued ticket; can be told to fail. */
final class RecordingJobQueue implements JobQueue {
    private final List<QueueTicket> tickets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    /** Every ticket enqueued so far, in order. */
    List<QueueTicket> tickets() {
        return new ArrayList<>(tickets);
    }

    void failing(boolean value) {
        failing.set(value);
    }

    @Override
    public CompletionStage<Void> enqueue(QueueTicket ticket) {
        if (failing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("queue down (test)"));
        }
        tickets.add(ticket);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> enqueueAll(List<QueueTicket> batch) {
        batch.forEach(this::enqueue);
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

    @Override
    public CompletionStage<Long> depth(String configId) {
        return CompletableFuture.completedFuture((long) tickets.size());
    }
}
