package io.spindle.model.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryJobQueueTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    private final ManualClock clock = new ManualClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    @Test
    void takesHigherBandsFirstAndFifoWithinBand() {
        queue.enqueueAll(List.of(ticket("low", 1), ticket("normal", 5), ticket("high-a", 8), ticket("high-b", 9)));

        assertEquals(List.of("high-a", "high-b", "normal", "low"), jobIds(take("node-1", 10)));
    }

    @Test
    void takeNeverReturnsMoreThanMax() {
        for (int i = 0; i < 7; i++) {
            queue.enqueue(ticket("j" + i, i));
        }

        assertEquals(3, take("node-1", 3).size());
        assertEquals(3, take("node-1", 3).size());
        assertEquals(1, take("node-1", 3).size());
        assertEquals(0, take("node-1", 0).size());
    }

    @Test
    void blockingTakeIsCompletedByALaterEnqueue() throws Exception {
        CompletableFuture<List<Delivery>> waiting =
                queue.take("cfg", "node-1", 2, Duration.ofSeconds(30)).toCompletableFuture();
        assertTrue(!waiting.isDone());

        queue.enqueueAll(List.of(ticket("a", 5), ticket("b", 5), ticket("c", 5)));

        assertEquals(List.of("a", "b"), jobIds(waiting.get(5, TimeUnit.SECONDS)));
        assertEquals(1L, depth());
    }

    @Test
    void blockingTakeReturnsNothingAfterItsBlockTime() throws Exception {
        List<Delivery> got = queue.take("cfg", "node-1", 5, Duration.ofMillis(50)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(got.isEmpty());

        queue.enqueue(ticket("a", 5));
        assertEquals(1L, depth(), "a timed-out take must not swallow later tickets");
    }

    @Test
    void staleDeliveriesAreClaimedOnlyAfterMinIdle() {
        queue.enqueueAll(List.of(ticket("a", 5), ticket("b", 9)));
        List<Delivery> taken = take("dead-node", 10);

        assertTrue(claim("node-2", Duration.ofSeconds(30)).isEmpty());
        clock.advance(Duration.ofSeconds(30));
        List<Delivery> claimed = claim("node-2", Duration.ofSeconds(30));

        assertEquals(List.of("b", "a"), jobIds(claimed));
        assertEquals(Set.copyOf(ids(taken)), Set.copyOf(ids(claimed)));
        assertEquals("node-2", queue.pendingConsumer(claimed.get(0)));
        assertTrue(claim("node-3", Duration.ofSeconds(30)).isEmpty(), "claiming resets the idle time");
    }

    @Test
    void ackedDeliveriesAreNeitherPendingNorClaimable() {
        queue.enqueueAll(List.of(ticket("a", 5), ticket("b", 5)));
        List<Delivery> taken = take("node-1", 10);

        queue.ack(taken.subList(0, 1));
        queue.ack(taken.subList(0, 1));
        clock.advance(Duration.ofMinutes(5));

        assertEquals(1, queue.pendingCount("cfg"));
        assertEquals(List.of("b"), jobIds(claim("node-2", Duration.ofMinutes(1))));
        assertNull(queue.pendingConsumer(taken.get(0)));
    }

    @Test
    void depthCountsUndeliveredTicketsPerConfig() {
        queue.enqueueAll(List.of(ticket("a", 5), ticket("b", 5), ticket("c", 1),
                new QueueTicket("x", "other", 5, 1)));

        assertEquals(3L, depth());
        take("node-1", 2);
        assertEquals(1L, depth());
        assertEquals(1L, queue.depth("other").toCompletableFuture().join());
        assertEquals(0L, queue.depth("unknown").toCompletableFuture().join());
    }

    @Test
    void twoConsumersNeverGetTheSameEntry() {
        for (int i = 0; i < 20; i++) {
            queue.enqueue(ticket("j" + i, i % 10));
        }
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            for (Delivery d : take(round % 2 == 0 ? "node-1" : "node-2", 3)) {
                assertTrue(seen.add(d.ticket().jobId()), "delivered twice: " + d);
            }
        }
        assertEquals(20, seen.size());
    }

    @Test
    void bandsAreConfigurable() {
        InMemoryJobQueue exact = new InMemoryJobQueue(clock, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        exact.enqueueAll(List.of(ticket("p7", 7), ticket("p8", 8), ticket("p9", 9)));

        List<Delivery> got = exact.take("cfg", "n", 10, NO_WAIT).toCompletableFuture().join();

        assertEquals(List.of("p9", "p8", "p7"), jobIds(got));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryJobQueue(clock, 3, 7));
    }

    private List<Delivery> take(String consumer, int max) {
        return queue.take("cfg", consumer, max, NO_WAIT).toCompletableFuture().join();
    }

    private List<Delivery> claim(String consumer, Duration minIdle) {
        return queue.claimStale("cfg", consumer, minIdle, 100).toCompletableFuture().join();
    }

    private long depth() {
        return queue.depth("cfg").toCompletableFuture().join();
    }

    private static QueueTicket ticket(String jobId, int priority) {
        return new QueueTicket(jobId, "cfg", priority, 1);
    }

    private static List<String> jobIds(List<Delivery> ds) {
        return ds.stream().map(d -> d.ticket().jobId()).toList();
    }

    private static List<String> ids(List<Delivery> ds) {
        return ds.stream().map(Delivery::deliveryId).toList();
    }

    /** A clock that moves only when told to. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
