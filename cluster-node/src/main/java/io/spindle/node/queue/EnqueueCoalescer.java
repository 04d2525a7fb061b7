package io.spindle.node.queue;

import io.spindle.model.queue.QueueTicket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Merges single-ticket enqueues into few batch calls. Every job entity enqueues its own ticket right after
 * persisting, so a burst of submits would otherwise cost one Redis round trip per job. A ticket that arrives
 * while a batch is on its way waits; when that batch is answered, everything waiting leaves together (as a
 * group commit does: an idle queue adds no delay, a busy one sends bigger batches). Each caller's stage
 * completes with its batch.
 */
final class EnqueueCoalescer {
    private final Function<List<QueueTicket>, CompletionStage<Void>> sendBatch;
    private final int maxTickets;
    private final List<Waiting> waiting = new ArrayList<>();
    private boolean sending;

    private record Waiting(QueueTicket ticket, CompletableFuture<Void> done) {}

    EnqueueCoalescer(Function<List<QueueTicket>, CompletionStage<Void>> sendBatch, int maxTickets) {
        this.sendBatch = sendBatch;
        this.maxTickets = maxTickets;
    }

    CompletionStage<Void> enqueue(QueueTicket ticket) {
        Waiting entry = new Waiting(ticket, new CompletableFuture<>());
        List<Waiting> batch;
        synchronized (this) {
            waiting.add(entry);
            batch = sending ? List.of() : takeBatch();
        }
        send(batch);
        return entry.done();
    }

    /** The next batch, marking a send as running; empty (and no send running) when nothing waits. Holds the lock. */
    private List<Waiting> takeBatch() {
        int n = Math.min(maxTickets, waiting.size());
        sending = n > 0;
        List<Waiting> batch = new ArrayList<>(waiting.subList(0, n));
        waiting.subList(0, n).clear();
        return batch;
    }

    private void send(List<Waiting> batch) {
        if (batch.isEmpty()) {
            return;
        }
        CompletionStage<Void> sent;
        try {
            sent = sendBatch.apply(batch.stream().map(Waiting::ticket).toList());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            for (Waiting entry : batch) {
                if (error == null) {
                    entry.done().complete(null);
                } else {
                    entry.done().completeExceptionally(error);
                }
            }
            List<Waiting> next;
            synchronized (this) {
                next = takeBatch();
            }
            send(next);
        });
    }
}
