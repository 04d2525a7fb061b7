package io.spindle.model.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Per-config queues of job tickets (production: Redis streams, one consumer group per config, one
 * consumer per node). Higher-priority tickets of a config are taken first. Never the system of record.
 */
public interface JobQueue {

    /** Appends a ticket to its config's queue. */
    CompletionStage<Void> enqueue(QueueTicket ticket);

    /** Appends many tickets in one round trip where the backend allows. */
    CompletionStage<Void> enqueueAll(List<QueueTicket> tickets);

    /** Up to {@code max} new tickets for {@code configId}, highest priority first, waiting up to {@code block} for any. */
    CompletionStage<List<Delivery>> take(String configId, String consumer, int max, Duration block);

    /** Marks deliveries as handled (the lease decision is made), so they are not delivered again. */
    CompletionStage<Void> ack(List<Delivery> deliveries);

    /**
     * {@link #ack} of {@code acks} (deliveries of this config), then {@link #take}, in one round trip where the
     * backend allows: a dispatcher's acknowledgements ride on its next take. The acks are made before the take
     * waits for anything; when the result fails, they may or may not have been made (acking again is harmless).
     */
    default CompletionStage<List<Delivery>> ackAndTake(List<Delivery> acks, String configId, String consumer, int max,
                                                       Duration block) {
        if (acks.isEmpty()) {
            return take(configId, consumer, max, block);
        }
        return ack(acks).thenCompose(done -> take(configId, consumer, max, block));
    }

    /** Takes over up to {@code max} deliveries left unacked by any consumer for longer than {@code minIdle}. */
    CompletionStage<List<Delivery>> claimStale(String configId, String consumer, Duration minIdle, int max);

    /** Tickets of a config not yet delivered to any consumer (approximate). */
    CompletionStage<Long> depth(String configId);
}
