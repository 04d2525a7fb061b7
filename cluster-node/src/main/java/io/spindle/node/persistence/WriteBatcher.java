package io.spindle.node.persistence;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import io.spindle.node.persistence.EventDocuments.EncodedWrite;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the journal's concurrent writes into few unordered insertMany commands.
 *
 * <p>The journal actor calls asyncWriteMessages once per persisting entity without waiting for the
 * previous call, and the embedded server commits once per write command, so one command per write
 * would cap the node at a few hundred events per second. Here a write that arrives while
 * {@code max-in-flight} flushes are running waits in a queue; when a flush finishes, everything
 * queued leaves together (bounded by {@code max-documents} and {@code max-bytes}). A flush is one
 * insertMany; its events' global orderings come from a block reserved beforehand ({@link OrderingBlocks}),
 * so only a flush that needs a new block waits for a counter increment first. The rest of a block given
 * up goes into the same insertMany as a filler document, or on its own once the journal is idle.
 *
 * <p>Writes of one persistence id stay in order: a write whose persistence id is in a flush in
 * flight waits for that flush, and when a write fails, the queued writes of its persistence id fail
 * too, so no later sequence nr is stored after a missing one. Each caller's future completes from
 * the batch result: a document rejected by the server (duplicate key: another writer already
 * stored those sequence nrs) fails only its caller; a failed command fails every caller.
 */
final class WriteBatcher {
    private static final Logger log = LoggerFactory.getLogger(WriteBatcher.class);

    /** Runs a task once after a delay (the actor system's scheduler). */
    @FunctionalInterface
    interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    private final JournalStore store;
    private final JournalSettings settings;
    private final JournalMetrics metrics;
    private final OrderingBlocks orderings;
    private final Timer timer;

    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
    private final Set<String> inFlightPersistenceIds = new HashSet<>();
    private int inFlight;
    private boolean releaseCheckScheduled;

    WriteBatcher(JournalStore store, JournalSettings settings, JournalMetrics metrics, Timer timer) {
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.orderings = new OrderingBlocks(store, settings.orderingBlock(), System::nanoTime);
        this.timer = timer;
    }

    /** The writes of one asyncWriteMessages call, completed together. */
    private record PendingWrite(List<EncodedWrite> writes, Set<String> persistenceIds, long bytes,
                                CompletableFuture<Void> done) {
        int events() {
            return writes.stream().mapToInt(EncodedWrite::events).sum();
        }
    }

    /** Queues the writes of one call; completes when all of them are stored, fails otherwise. */
    CompletionStage<Void> submit(List<EncodedWrite> writes) {
        Set<String> persistenceIds = new LinkedHashSet<>();
        long bytes = 0;
        for (EncodedWrite write : writes) {
            persistenceIds.add(write.persistenceId());
            bytes += write.bytes();
        }
        PendingWrite write = new PendingWrite(List.copyOf(writes), persistenceIds, bytes, new CompletableFuture<>());
        List<List<PendingWrite>> batches;
        synchronized (this) {
            pending.add(write);
            batches = takeBatches();
        }
        batches.forEach(this::flush);
        return write.done();
    }

    /** Must hold the lock. */
    private List<List<PendingWrite>> takeBatches() {
        List<List<PendingWrite>> batches = new ArrayList<>();
        while (inFlight < settings.maxInFlight()) {
            List<PendingWrite> batch = takeBatch();
            if (batch.isEmpty()) {
                break;
            }
            inFlight++;
            batch.forEach(write -> inFlightPersistenceIds.addAll(write.persistenceIds()));
            batches.add(batch);
        }
        return batches;
    }

    /** Must hold the lock. Oldest first, one call per persistence id, within the batch bounds. */
    private List<PendingWrite> takeBatch() {
        List<PendingWrite> batch = new ArrayList<>();
        Set<String> blocked = new HashSet<>(inFlightPersistenceIds);
        int documents = 0;
        long bytes = 0;
        for (Iterator<PendingWrite> it = pending.iterator(); it.hasNext(); ) {
            PendingWrite write = it.next();
            boolean waitsForItsPersistenceId = write.persistenceIds().stream().anyMatch(blocked::contains);
            blocked.addAll(write.persistenceIds());
            if (waitsForItsPersistenceId) {
                continue;
            }
            boolean full = documents + write.writes().size() > settings.maxBatchDocuments()
                    || bytes + write.bytes() > settings.maxBatchBytes();
            if (full && !batch.isEmpty()) {
                break;
            }
            it.remove();
            batch.add(write);
            documents += write.writes().size();
            bytes += write.bytes();
        }
        return batch;
    }

    private void flush(List<PendingWrite> batch) {
        List<Document> documents = new ArrayList<>();
        int events = 0;
        for (PendingWrite write : batch) {
            write.writes().forEach(encoded -> documents.add(encoded.document()));
            events += write.events();
        }
        int eventCount = events;
        long start = System.nanoTime();
        long deadline = start + settings.flushTimeout().toNanos();
        store.ensureIndexes()
                .thenCompose(ready -> orderings.allocate(eventCount, start))
                .thenCompose(allocation -> {
                    long writtenAt = System.currentTimeMillis();
                    // Fillers after the events: a write error's index is then its AtomicWrite's position.
                    allocation.released().forEach(range -> documents.add(EventDocuments.filler(range.from(), range.to(), writtenAt)));
                    if (System.nanoTime() > deadline) {
                        // Its callers were already told it failed: storing it now would contradict them.
                        throw new CompletionException(new TimeoutException("journal flush timed out before its insert"));
                    }
                    long ord = allocation.first();
                    for (int i = 0; i < documents.size() - allocation.released().size(); i++) {
                        ord = EventDocuments.assignOrderings(documents.get(i), ord, writtenAt);
                    }
                    metrics.insertCommand();
                    return store.insert(documents);
                })
                .toCompletableFuture()
                // A server that stops answering must not hold the in-flight slots forever.
                .orTimeout(settings.flushTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((stored, error) -> complete(batch, error));
    }

    private void complete(List<PendingWrite> batch, Throwable error) {
        Map<PendingWrite, Throwable> failures = failuresOf(batch, unwrap(error));
        List<PendingWrite> cascaded = new ArrayList<>();
        List<List<PendingWrite>> next;
        boolean idle;
        synchronized (this) {
            inFlight--;
            batch.forEach(write -> inFlightPersistenceIds.removeAll(write.persistenceIds()));
            Set<String> failedIds = new HashSet<>();
            failures.keySet().forEach(write -> failedIds.addAll(write.persistenceIds()));
            for (Iterator<PendingWrite> it = pending.iterator(); it.hasNext() && !failedIds.isEmpty(); ) {
                PendingWrite write = it.next();
                if (write.persistenceIds().stream().anyMatch(failedIds::contains)) {
                    it.remove();
                    cascaded.add(write);
                }
            }
            next = takeBatches();
            idle = inFlight == 0 && pending.isEmpty();
        }
        if (idle) {
            scheduleReleaseCheck();
        }
        for (PendingWrite write : batch) {
            Throwable failure = failures.get(write);
            if (failure == null) {
                write.done().complete(null);
            } else {
                metrics.failedWrites(write.writes().size());
                write.done().completeExceptionally(failure);
            }
        }
        for (PendingWrite write : cascaded) {
            metrics.failedWrites(write.writes().size());
            write.done().completeExceptionally(new IllegalStateException(
                    "an earlier write of " + write.persistenceIds() + " failed; later writes are not stored"));
        }
        next.forEach(this::flush);
    }

    /**
     * Once the journal is idle, the rest of an expired ordering block is released on its own, so tag queries
     * need not wait for the next write (or the gap timeout) to move past it. One check is pending at a time;
     * a check that finds writes going on leaves the block to the next flush, whose completion checks again.
     */
    private void scheduleReleaseCheck() {
        Optional<Duration> untilExpiry = orderings.untilExpiry();
        if (untilExpiry.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (releaseCheckScheduled) {
                return;
            }
            releaseCheckScheduled = true;
        }
        timer.schedule(untilExpiry.get(), this::releaseIfIdle);
    }

    private void releaseIfIdle() {
        Optional<OrderingBlocks.Range> released;
        synchronized (this) {
            releaseCheckScheduled = false;
            if (inFlight > 0 || !pending.isEmpty()) {
                return;
            }
            released = orderings.releaseExpired();
        }
        if (released.isPresent()) {
            insertFiller(released.get());
        } else {
            scheduleReleaseCheck(); // a block reserved after this check was scheduled
        }
    }

    /**
     * Releases the rest of the current block (the journal stops); completes when its filler is stored or could
     * not be (best effort: a filler not stored is a gap), at once when there is nothing to release.
     */
    CompletionStage<Void> close() {
        return orderings.releaseAll().map(this::insertFiller).orElse(CompletableFuture.completedFuture(null));
    }

    private CompletionStage<Void> insertFiller(OrderingBlocks.Range range) {
        metrics.insertCommand();
        return store.insert(List.of(EventDocuments.filler(range.from(), range.to(), System.currentTimeMillis())))
                .exceptionally(error -> {
                    log.warn("Journal could not store a filler of released orderings {}..{} (tag queries pass them "
                            + "after the gap timeout): {}", range.from(), range.to(), unwrap(error).toString());
                    return null;
                });
    }

    private Map<PendingWrite, Throwable> failuresOf(List<PendingWrite> batch, Throwable error) {
        Map<PendingWrite, Throwable> failures = new HashMap<>();
        if (error == null) {
            return failures;
        }
        if (error instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null) {
            List<PendingWrite> owners = new ArrayList<>();
            batch.forEach(write -> write.writes().forEach(encoded -> owners.add(write)));
            for (BulkWriteError documentError : bulk.getWriteErrors()) {
                if (documentError.getIndex() >= owners.size()) {
                    log.warn("Journal flush could not store a filler of released orderings: {}", documentError.getMessage());
                    continue;
                }
                PendingWrite owner = owners.get(documentError.getIndex());
                EncodedWrite encoded = owner.writes().get(documentError.getIndex() - owners.indexOf(owner));
                failures.putIfAbsent(owner, new IllegalStateException("journal rejected the write of "
                        + encoded.persistenceId() + " seq " + encoded.document().get(EventDocuments.FROM_SEQ) + ".."
                        + encoded.document().get(EventDocuments.TO_SEQ) + ": " + documentError.getMessage()));
            }
            log.warn("Journal flush stored {} of {} AtomicWrites; {} failed, first: {}",
                    owners.size() - bulk.getWriteErrors().size(), owners.size(), bulk.getWriteErrors().size(),
                    bulk.getWriteErrors().get(0).getMessage());
            return failures;
        }
        metrics.failedFlush();
        log.warn("Journal flush of {} writes failed: {}", batch.size(), error.toString());
        batch.forEach(write -> failures.put(write, error));
        return failures;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
