package io.spindle.node.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Hands out the journal's global orderings from blocks reserved on the shared counter, so a flush
 * needs no round trip of its own to number its events (decision 0024).
 *
 * <p>One {@code $inc} of {@code ordering-block.size} reserves a block; flushes take consecutive
 * orderings from it until it is used up or {@code ordering-block.lifetime} has passed since the
 * reservation was sent (to flushes that started by then: a flush's insert is sent within
 * {@code flush-timeout} of its start). The rest of a block given up that way is <em>released</em>: the caller
 * inserts a filler document over it ({@link EventDocuments#filler}), in the same insertMany as the
 * flush that gave it up, or on its own when the journal is idle. Until then a tag query waits in front
 * of it as before an ordering in flight; the lifetime bounds how long, and it is why no ordering of a
 * block goes to a flush started later than {@code lifetime} after its reservation: a tag query may pass a missing
 * ordering {@code gap-timeout} after it saw the counter above it, so {@code gap-timeout} must exceed
 * {@code lifetime} plus the time an insert can take to land ({@code flush-timeout}).
 *
 * <p>Thread-safe: flushes in flight allocate concurrently, one reservation serves them all.
 */
final class OrderingBlocks {
    /** Orderings [from, to], both included. */
    record Range(long from, long to) {
    }

    /**
     * Orderings [first, first + count - 1] for a flush, and the rest of a block it gave up, which the
     * flush covers with a filler document.
     */
    record Allocation(long first, List<Range> released) {
    }

    /** The block being used: orderings [next, last], reserved at {@code reservedAtNanos}. */
    private record Block(long next, long last, long reservedAtNanos) {
        long remaining() {
            return last - next + 1;
        }
    }

    private final JournalStore store;
    private final int blockSize;
    private final long lifetimeNanos;
    private final LongSupplier nanoClock;

    private Block block;
    private CompletableFuture<Void> reserving;

    OrderingBlocks(JournalStore store, JournalSettings.OrderingBlockSettings settings, LongSupplier nanoClock) {
        this.store = store;
        this.blockSize = settings.size();
        this.lifetimeNanos = settings.lifetime().toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Allocates {@code count} consecutive orderings for a flush that started at {@code flushStartNanos} (its
     * insert is sent within {@code flush-timeout} of that), reserving a new block when the current one cannot
     * serve them: it is used up, or its lifetime was over when the flush started. Measured from the flush's
     * start, not from now, so a flush that waited for a slow reservation still takes from it.
     */
    CompletionStage<Allocation> allocate(int count, long flushStartNanos) {
        return allocate(count, flushStartNanos, List.of());
    }

    private CompletionStage<Allocation> allocate(int count, long flushStartNanos, List<Range> releasedBefore) {
        CompletableFuture<Void> reservation;
        boolean reserveHere = false;
        List<Range> released = new ArrayList<>(releasedBefore);
        synchronized (this) {
            if (reserving != null) {
                reservation = reserving;
            } else if (block != null && servesFlushStartedAt(block, flushStartNanos) && block.remaining() >= count) {
                long first = block.next();
                block = new Block(first + count, block.last(), block.reservedAtNanos());
                return CompletableFuture.completedFuture(new Allocation(first, List.copyOf(released)));
            } else {
                takeRest().ifPresent(released::add);
                block = null;
                reservation = reserving = new CompletableFuture<>();
                reserveHere = true;
            }
        }
        if (reserveHere) {
            reserve(reservation, Math.max(blockSize, count));
        }
        List<Range> toCover = List.copyOf(released);
        return reservation.thenCompose(reserved -> allocate(count, flushStartNanos, toCover));
    }

    private void reserve(CompletableFuture<Void> reservation, int size) {
        // Timed from before the request: the counter may be raised (and seen by tag queries) as soon as it is sent.
        long sentAt = nanoClock.getAsLong();
        store.allocateOrderings(size).whenComplete((last, error) -> {
            synchronized (this) {
                if (error == null) {
                    block = new Block(last - size + 1, last, sentAt);
                }
                reserving = null;
            }
            if (error != null) {
                reservation.completeExceptionally(error);
            } else {
                reservation.complete(null);
            }
        });
    }

    /** The unused rest of the current block once its lifetime is over, taken out of use so a filler can cover it. */
    synchronized Optional<Range> releaseExpired() {
        if (block == null || !expired(block)) {
            return Optional.empty();
        }
        Optional<Range> rest = takeRest();
        block = null;
        return rest;
    }

    /** The unused rest of the current block, taken out of use (the journal stops). */
    synchronized Optional<Range> releaseAll() {
        Optional<Range> rest = takeRest();
        block = null;
        return rest;
    }

    /** How long until the block in use expires (zero if it has), none when no block is in use. */
    synchronized Optional<Duration> untilExpiry() {
        if (block == null) {
            return Optional.empty();
        }
        long left = lifetimeNanos - (nanoClock.getAsLong() - block.reservedAtNanos());
        return Optional.of(Duration.ofNanos(Math.max(0, left)));
    }

    /** Must hold the lock. */
    private Optional<Range> takeRest() {
        return block == null || block.remaining() <= 0 ? Optional.empty() : Optional.of(new Range(block.next(), block.last()));
    }

    private boolean expired(Block current) {
        return !servesFlushStartedAt(current, nanoClock.getAsLong());
    }

    /** A block serves flushes that started before its lifetime was over (also those that started before it was reserved). */
    private boolean servesFlushStartedAt(Block current, long flushStartNanos) {
        return flushStartNanos - current.reservedAtNanos() < lifetimeNanos;
    }
}
