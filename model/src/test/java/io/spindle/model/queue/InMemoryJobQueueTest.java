package io.spindle.model.queue;

import static io.spindle.model.queue.JobQueueContract.ids;
import static io.spindle.model.queue.JobQueueContract.jobIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.testsupport.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the in-memory queue offers beyond the {@link JobQueueContract} (run by {@link InMemoryJobQueueContractTest}):
 * a view of its pending list, configurable bands, and waiters served from a later batch.
 */
class InMemoryJobQueueTest {
    private static final Duration NO_WAIT = Duration.ZERO;

    private final ManualClock clock = new ManualClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

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
}
