package io.spindle.gateway.testsupport;

import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.QueueTicket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double of the queue swap point: records every ticket the JobEntities enqueue, delivers none. */
public final class RecordingJobQueue implements JobQueue {
    private final List<QueueTicket> tickets = new CopyOnWriteArrayList<>();

    public List<QueueTicket> tickets() {
        return List.copyOf(tickets);
    }

    public long ticketsOf(String jobId) {
        return tickets.stream().filter(t -> t.jobId().equals(jobId)).count();
    }

    @Override
    public CompletionStage<Void> enqueue(QueueTicket ticket) {
        tickets.add(ticket);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> enqueueAll(List<QueueTicket> batch) {
        tickets.addAll(batch);
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
        return CompletableFuture.completedFuture(tickets.stream().filter(t -> t.configId().equals(configId)).count());
    }
}
