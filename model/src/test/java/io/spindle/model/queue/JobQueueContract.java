package io.spindle.model.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobQueue} shares, run once against each implementation by a subclass (the in-memory
 * queue here, the Redis ones in cluster-node). Every test uses a fresh config id, so implementations may share
 * state (a Redis server) across tests.
 */
public abstract class JobQueueContract {
    static final Duration NO_WAIT = Duration.ZERO;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration MIN_IDLE = Duration.ofMillis(300);

    String cfg;

    /** The queue under test. */
    protected abstract JobQueue queue();

    /** Lets at least {@code d} pass for the queue's idle times (a clock advance or real time). */
    protected abstract void elapse(Duration d);

    @BeforeEach
    void freshConfig() {
        cfg = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void enqueuedTicketIsTakenOnceAndGoneAfterAck() {
        QueueTicket ticket = new QueueTicket("job-1", cfg, 5, 2);
        join(queue().enqueue(ticket));

        List<Delivery> got = take("node-1", 10);
        assertEquals(1, got.size());
        assertEquals(ticket, got.get(0).ticket());
        assertTrue(take("node-1", 10).isEmpty(), "taken tickets are not delivered again");

        join(queue().ack(got));
        elapse(MIN_IDLE);
        assertTrue(claim("node-2", MIN_IDLE, 10).isEmpty(), "acked deliveries cannot be claimed");
        assertEquals(0L, depth());
    }

    @Test
    void higherBandsAreTakenFirstAndEachBandInArrivalOrder() {
        join(queue().enqueueAll(List.of(ticket("low", 1), ticket("normal", 4), ticket("high-1", 9),
                ticket("low-2", 0), ticket("high-2", 7), ticket("normal-2", 6))));

        assertEquals(List.of("high-1", "high-2", "normal", "normal-2", "low", "low-2"), jobIds(take("node-1", 10)));
    }

    @Test
    void takeNeverReturnsMoreThanMax() {
        join(queue().enqueueAll(IntStream.range(0, 10).mapToObj(i -> ticket("j" + i, i)).toList()));

        assertTrue(take("node-1", 0).isEmpty());
        List<String> seen = new ArrayList<>();
        for (int max : new int[] {1, 3, 2}) {
            List<Delivery> got = take("node-1", max);
            assertEquals(max, got.size());
            seen.addAll(jobIds(got));
        }
        assertEquals(List.of("j7", "j8", "j9", "j3", "j4", "j5"), seen, "bands in order, FIFO within a band, max across bands");
        assertEquals(4, take("node-1", 100).size());
    }

    @Test
    void twoConsumersNeverGetTheSameEntry() throws Exception {
        int n = 200;
        join(queue().enqueueAll(IntStream.range(0, n).mapToObj(i -> ticket("j" + i, i % 10)).toList()));
        List<CompletableFuture<List<Delivery>>> takes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            takes.add(queue().take(cfg, i % 2 == 0 ? "node-1" : "node-2", 7, NO_WAIT).toCompletableFuture());
        }
        Set<String> seen = new HashSet<>();
        for (CompletableFuture<List<Delivery>> t : takes) {
            for (Delivery d : t.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                assertTrue(seen.add(d.ticket().jobId()), "delivered twice: " + d);
            }
        }
        assertEquals(n, seen.size());
    }

    @Test
    void blockingTakeReturnsATicketEnqueuedWhileItWaits() throws Exception {
        CompletableFuture<List<Delivery>> waiting = queue().take(cfg, "node-1", 5, TIMEOUT.multipliedBy(3)).toCompletableFuture();
        assertFalse(waiting.isDone());

        join(queue().enqueue(ticket("late", 5)));

        assertEquals(List.of("late"), jobIds(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
    }

    @Test
    void blockingTakeReturnsNothingAfterItsBlockTime() {
        long start = System.nanoTime();
        List<Delivery> got = join(queue().take(cfg, "node-1", 5, Duration.ofMillis(200)));

        assertTrue(got.isEmpty());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos(), "it waited");
        join(queue().enqueue(ticket("after", 5)));
        assertEquals(1L, depth(), "a timed-out take must not swallow later tickets");
    }

    @Test
    void deliveriesOfADeadConsumerAreClaimedAfterMinIdle() {
        join(queue().enqueueAll(List.of(ticket("a", 5), ticket("b", 8))));
        List<Delivery> taken = take("dead-node", 10);
        assertEquals(2, taken.size());

        assertTrue(claim("node-2", Duration.ofHours(1), 10).isEmpty(), "not idle long enough");
        elapse(MIN_IDLE);
        List<Delivery> claimed = claim("node-2", MIN_IDLE, 10);

        assertEquals(List.of("b", "a"), jobIds(claimed), "higher band first");
        assertEquals(Set.copyOf(ids(taken)), Set.copyOf(ids(claimed)), "same entries, same ids");
        assertEquals(taken.get(0).ticket(), claimed.get(0).ticket());
        assertTrue(claim("node-3", MIN_IDLE, 10).isEmpty(), "a claim resets the idle time");
        join(queue().ack(claimed));
        elapse(MIN_IDLE);
        assertTrue(claim("node-3", MIN_IDLE, 10).isEmpty(), "acked claims are gone");
    }

    @Test
    void claimStaleNeverReturnsMoreThanMax() {
        join(queue().enqueueAll(IntStream.range(0, 5).mapToObj(i -> ticket("j" + i, 5)).toList()));
        take("dead-node", 10);
        elapse(MIN_IDLE);

        assertEquals(2, claim("node-2", MIN_IDLE, 2).size());
        assertEquals(3, claim("node-2", MIN_IDLE, 10).size());
        assertTrue(claim("node-2", MIN_IDLE, 0).isEmpty());
    }

    @Test
    void depthCountsTicketsNotYetDelivered() {
        assertEquals(0L, depth());
        join(queue().enqueueAll(List.of(ticket("a", 9), ticket("b", 5), ticket("c", 0), ticket("d", 0))));
        assertEquals(4L, depth());

        List<Delivery> got = take("node-1", 3);
        assertEquals(1L, depth());
        join(queue().ack(got));
        assertEquals(1L, depth());
    }

    @Test
    void depthIsCountedPerConfig() {
        String other = cfg + "-other";
        join(queue().enqueueAll(List.of(ticket("a", 5), ticket("b", 1), new QueueTicket("x", other, 5, 1))));
        assertEquals(2L, depth());
        assertEquals(1L, join(queue().depth(other)));

        take("node-1", 1);
        assertEquals(1L, depth());
        assertEquals(1L, join(queue().depth(other)), "taking from one config leaves the others alone");
    }

    @Test
    void configsAreIndependentQueues() {
        String other = cfg + "-other";
        join(queue().enqueueAll(List.of(ticket("mine", 5), new QueueTicket("theirs", other, 9, 1))));

        assertEquals(List.of("mine"), jobIds(take("node-1", 10)));
        List<Delivery> theirs = join(queue().take(other, "node-1", 10, NO_WAIT));
        assertEquals(List.of("theirs"), jobIds(theirs));
        assertEquals(other, theirs.get(0).ticket().configId());
    }

    @Test
    void ackingTwiceOrAckingNothingIsHarmless() {
        join(queue().enqueue(ticket("a", 5)));
        List<Delivery> got = take("node-1", 1);

        join(queue().ack(got));
        join(queue().ack(got));
        join(queue().ack(List.of()));
        assertEquals(0L, depth());
    }

    QueueTicket ticket(String jobId, int priority) {
        return new QueueTicket(jobId, cfg, priority, 1);
    }

    List<Delivery> take(String consumer, int max) {
        return join(queue().take(cfg, consumer, max, NO_WAIT));
    }

    List<Delivery> claim(String consumer, Duration minIdle, int max) {
        return join(queue().claimStale(cfg, consumer, minIdle, max));
    }

    long depth() {
        return join(queue().depth(cfg));
    }

    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static List<String> jobIds(List<Delivery> ds) {
        return ds.stream().map(d -> d.ticket().jobId()).toList();
    }

    public static List<String> ids(List<Delivery> ds) {
        return ds.stream().map(Delivery::deliveryId).toList();
    }
}
