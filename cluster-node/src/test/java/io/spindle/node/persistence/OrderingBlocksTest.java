package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.persistence.JournalSettings.OrderingBlockSettings;
import io.spindle.node.persistence.OrderingBlocks.Allocation;
import io.spindle.node.persistence.OrderingBlocks.Range;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Orderings handed out from reserved blocks, against the embedded server, on a clock the test moves. */
class OrderingBlocksTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final int SIZE = 10;
    private static final Duration LIFETIME = Duration.ofMillis(500);

    private final AtomicLong clock = new AtomicLong();
    private JournalStore store;
    private OrderingBlocks blocks;

    @BeforeEach
    void freshCounter() {
        store = new JournalStore(MONGO.freshDatabase(), "journal", "journal_metadata", new JournalSettings.ScanWindows(16, 512));
        blocks = new OrderingBlocks(store, new OrderingBlockSettings(SIZE, LIFETIME), clock::get);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long counter() throws Exception {
        return await(store.orderingHead());
    }

    @Test
    void flushesTakeConsecutiveOrderingsOfOneReservedBlock() throws Exception {
        assertEquals(new Allocation(1, List.of()), await(blocks.allocate(3, clock.get())));
        assertEquals(new Allocation(4, List.of()), await(blocks.allocate(2, clock.get())));
        assertEquals(new Allocation(6, List.of()), await(blocks.allocate(5, clock.get())));
        assertEquals(SIZE, counter(), "one reservation served all three");

        // Used up: the next flush reserves the next block, and there is nothing left to give up.
        assertEquals(new Allocation(11, List.of()), await(blocks.allocate(1, clock.get())));
        assertEquals(2 * SIZE, counter());
    }

    @Test
    void aBlockPastItsLifetimeIsGivenUpToTheNextFlush() throws Exception {
        await(blocks.allocate(2, clock.get()));
        clock.addAndGet(LIFETIME.toNanos() - 1);
        assertEquals(new Allocation(3, List.of()), await(blocks.allocate(1, clock.get())), "still within its lifetime");

        clock.addAndGet(1);
        Allocation afterExpiry = await(blocks.allocate(1, clock.get()));
        assertEquals(new Allocation(SIZE + 1, List.of(new Range(4, SIZE))), afterExpiry,
                "the unused rest is released with the flush that moved on");
        assertEquals(2 * SIZE, counter());
    }

    @Test
    void aFlushThatStartedWithinTheLifetimeStillTakesFromTheBlock() throws Exception {
        long flushStart = clock.get();
        await(blocks.allocate(2, flushStart));
        // A flush started just before the lifetime ended allocates after it (it waited for indexes, a slow server…).
        long lateStarter = clock.addAndGet(LIFETIME.toNanos() - 1);
        clock.addAndGet(LIFETIME.toNanos());
        assertEquals(new Allocation(3, List.of()), await(blocks.allocate(1, lateStarter)));
        // One that started after it moves on.
        assertEquals(new Allocation(SIZE + 1, List.of(new Range(4, SIZE))), await(blocks.allocate(1, clock.get())));
    }

    @Test
    void aFlushLargerThanTheRestReleasesItAndReservesEnough() throws Exception {
        await(blocks.allocate(7, clock.get()));
        Allocation large = await(blocks.allocate(SIZE + 5, clock.get()));
        assertEquals(new Allocation(SIZE + 1, List.of(new Range(8, SIZE))), large);
        assertEquals(2 * SIZE + 5, counter(), "a block as large as the flush");
    }

    @Test
    void anIdleJournalReleasesOnlyAnExpiredBlock() throws Exception {
        assertEquals(Optional.empty(), blocks.untilExpiry(), "no block yet");
        await(blocks.allocate(4, clock.get()));
        assertEquals(Optional.of(LIFETIME), blocks.untilExpiry());
        assertEquals(Optional.empty(), blocks.releaseExpired(), "not yet expired");

        clock.addAndGet(LIFETIME.toNanos());
        assertEquals(Optional.of(Duration.ZERO), blocks.untilExpiry());
        assertEquals(Optional.of(new Range(5, SIZE)), blocks.releaseExpired());
        assertEquals(Optional.empty(), blocks.untilExpiry(), "released blocks are out of use");
        assertEquals(new Allocation(SIZE + 1, List.of()), await(blocks.allocate(1, clock.get())), "nothing released twice");
        assertEquals(Optional.of(new Range(SIZE + 2, 2 * SIZE)), blocks.releaseAll());
        assertEquals(Optional.empty(), blocks.releaseAll());
    }

    @Test
    void concurrentFlushesNeverShareAnOrdering() throws Exception {
        List<CompletableFuture<Allocation>> allocations = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int count = 1 + i % 4;
            counts.add(count);
            allocations.add(blocks.allocate(count, clock.get()).toCompletableFuture());
        }
        TreeSet<Long> used = new TreeSet<>();
        TreeSet<Long> released = new TreeSet<>();
        for (int i = 0; i < allocations.size(); i++) {
            Allocation allocation = allocations.get(i).get(10, TimeUnit.SECONDS);
            for (long ord = allocation.first(); ord < allocation.first() + counts.get(i); ord++) {
                assertTrue(used.add(ord), "ordering " + ord + " handed out twice");
            }
            for (Range range : allocation.released()) {
                for (long ord = range.from(); ord <= range.to(); ord++) {
                    assertTrue(released.add(ord), "ordering " + ord + " released twice");
                }
            }
        }
        blocks.releaseAll().ifPresent(range -> {
            for (long ord = range.from(); ord <= range.to(); ord++) {
                released.add(ord);
            }
        });
        released.forEach(ord -> assertTrue(!used.contains(ord), "ordering " + ord + " both used and released"));
        assertEquals(counter(), used.size() + released.size(), "every reserved ordering is used or released");
    }
}
