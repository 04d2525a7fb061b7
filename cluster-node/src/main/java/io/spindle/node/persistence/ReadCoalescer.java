package io.spindle.node.persistence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces concurrent reads by key into few commands, as {@link WriteBatcher} does for writes.
 *
 * <p>A burst of new entities recovers at once, each asking for its own few documents, and the store
 * answers every command with a round trip (on the embedded server, a full command cycle). Here a read
 * that arrives while {@code max-in-flight} commands are running waits in a queue; when one finishes,
 * everything queued leaves together in one command (up to {@code max-ids} distinct keys). With a slot
 * free a read leaves at once, so a quiet node pays no added latency. Callers asking for the same key
 * share its answer; a failed or timed-out command fails only the callers in it.
 *
 * @param <K> what one caller asks for (a persistence id, a window of its sequence nrs)
 * @param <V> the answer for one key
 */
final class ReadCoalescer<K, V> {
    private static final Logger log = LoggerFactory.getLogger(ReadCoalescer.class);

    /** One command reading many keys; keys it finds nothing for may be left out of the answer. */
    @FunctionalInterface
    interface BatchRead<K, V> {
        CompletionStage<Map<K, V>> read(List<K> keys);
    }

    private final String name;
    private final ReadBatchSettings settings;
    private final BatchRead<K, V> batchRead;
    private final V absent;

    private final ArrayDeque<PendingRead<K, V>> pending = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param name   what is read, for the log
     * @param absent the answer for a key the command found nothing for
     */
    ReadCoalescer(String name, ReadBatchSettings settings, BatchRead<K, V> batchRead, V absent) {
        this.name = name;
        this.settings = settings;
        this.batchRead = batchRead;
        this.absent = absent;
    }

    private record PendingRead<K, V>(K key, CompletableFuture<V> done) {
    }

    /** Reads one key, together with whatever else is waiting. */
    CompletionStage<V> read(K key) {
        PendingRead<K, V> read = new PendingRead<>(key, new CompletableFuture<>());
        List<Map<K, List<PendingRead<K, V>>>> batches;
        synchronized (this) {
            pending.add(read);
            batches = takeBatches();
        }
        batches.forEach(this::send);
        return read.done();
    }

    /** Must hold the lock. */
    private List<Map<K, List<PendingRead<K, V>>>> takeBatches() {
        List<Map<K, List<PendingRead<K, V>>>> batches = new ArrayList<>();
        while (inFlight < settings.maxInFlight() && !pending.isEmpty()) {
            inFlight++;
            batches.add(takeBatch());
        }
        return batches;
    }

    /** Must hold the lock. Oldest first, up to max-ids distinct keys; callers of the same key share it. */
    private Map<K, List<PendingRead<K, V>>> takeBatch() {
        Map<K, List<PendingRead<K, V>>> batch = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            PendingRead<K, V> next = pending.peek();
            if (batch.size() == settings.maxIds() && !batch.containsKey(next.key())) {
                break;
            }
            pending.poll();
            batch.computeIfAbsent(next.key(), key -> new ArrayList<>()).add(next);
        }
        return batch;
    }

    private void send(Map<K, List<PendingRead<K, V>>> batch) {
        CompletableFuture<Map<K, V>> answered;
        try {
            answered = batchRead.read(List.copyOf(batch.keySet())).toCompletableFuture();
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        // A server that stops answering must not hold the in-flight slots forever.
        answered.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((found, error) -> complete(batch, found, error));
    }

    private void complete(Map<K, List<PendingRead<K, V>>> batch, Map<K, V> found, Throwable error) {
        List<Map<K, List<PendingRead<K, V>>>> next;
        synchronized (this) {
            inFlight--;
            next = takeBatches();
        }
        // The next command first: the callers' continuations run on this thread.
        next.forEach(this::send);
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (failure != null) {
            log.warn("Reading {} of {} ids failed: {}", name, batch.size(), failure.toString());
        }
        batch.forEach((key, reads) -> {
            for (PendingRead<K, V> read : reads) {
                if (failure != null) {
                    read.done().completeExceptionally(failure);
                } else {
                    read.done().complete(found.getOrDefault(key, absent));
                }
            }
        });
    }
}
