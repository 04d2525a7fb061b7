package io.spindle.node.queue;

import static io.spindle.model.queue.JobQueueContract.ids;
import static io.spindle.model.queue.JobQueueContract.jobIds;
import static io.spindle.model.queue.JobQueueContract.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.QueueTicket;
import io.spindle.node.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/** What only the Redis queue has: stream layout, deletion and trimming, recovery from a flushed or crashed Redis, pool use. */
class RedisJobQueueTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static RedissonClient redisson;
    private static RedisJobQueue queue;

    private String cfg;

    @BeforeAll
    static void connect() {
        redisson = RedisClients.create(ConfigFactory.load(), REDIS.uri(), REDIS.password());
        queue = new RedisJobQueue(redisson, settings(""));
    }

    @AfterAll
    static void disconnect() {
        queue.close();
        redisson.shutdown();
    }

    @BeforeEach
    void freshConfig() {
        cfg = "cfg-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void ticketsGoToTheStreamOfTheirBand() {
        join(queue.enqueueAll(List.of(ticket("a", 9), ticket("b", 7), ticket("c", 5), ticket("d", 0))));

        assertEquals(2, xlen("high"));
        assertEquals(1, xlen("normal"));
        assertEquals(1, xlen("low"));
        List<Delivery> got = take(queue, "node-1", 10);
        assertEquals("spindle:q:{" + cfg + "}:high", got.get(0).stream());
        assertEquals("spindle:q:{" + cfg + "}:low", got.get(3).stream());
    }

    @Test
    void concurrentSingleEnqueuesShareRoundTrips() {
        int n = 500;
        long before = queue.roundTrips();

        List<CompletableFuture<Void>> sent = IntStream.range(0, n).parallel()
                .mapToObj(i -> queue.enqueue(new QueueTicket("j" + i, cfg, 5, 1)).toCompletableFuture()).toList();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();

        long trips = queue.roundTrips() - before;
        assertTrue(trips < n / 5, n + " enqueues took " + trips + " round trips");
        assertEquals(n, take(queue, "node-1", 2 * n).size(), "every ticket is in the stream once");
    }

    @Test
    void batchesLargerThanTheChunkAreEnqueuedCompletelyAndInOrder() {
        RedisJobQueue chunked = new RedisJobQueue(redisson, settings("spindle.queue.enqueue-chunk = 3"));
        String other = cfg + "-other";
        List<QueueTicket> batch = new ArrayList<>(tickets(10));
        batch.add(new QueueTicket("x", other, 9, 1));

        join(chunked.enqueueAll(batch));

        assertEquals(IntStream.range(0, 10).mapToObj(i -> "j" + i).toList(), jobIds(take(chunked, "node-1", 100)));
        assertEquals(List.of("x"), jobIds(join(chunked.take(other, "node-1", 100, NO_WAIT))));
    }

    @Test
    void ackDeletesTheEntries() {
        join(queue.enqueueAll(tickets(50)));
        List<Delivery> got = take(queue, "node-1", 30);
        assertEquals(50, xlen("normal"));

        join(queue.ack(got));

        assertEquals(20, xlen("normal"), "acked entries are deleted, undelivered ones stay");
        assertEquals(20L, join(queue.depth(cfg)));
    }

    @Test
    void acksRideOnTheNextTakeInOneRoundTrip() {
        join(queue.enqueueAll(List.of(ticket("h", 9), ticket("n1", 5), ticket("n2", 5), ticket("n3", 5))));
        List<Delivery> first = take(queue, "node-1", 3);
        Delivery foreign = new Delivery(new QueueTicket("x", cfg + "-other", 5, 1), "1-1", "spindle:q:{" + cfg + "-other}:normal");
        List<Delivery> acks = new ArrayList<>(first);
        acks.add(foreign); // not this config's stream: acked on its own, the take still answers
        long before = queue.roundTrips();

        List<Delivery> next = join(queue.ackAndTake(acks, cfg, "node-1", 10, NO_WAIT));

        assertEquals(2, queue.roundTrips() - before, "the other config's ack alone, this config's acks in the take's round trip");
        assertEquals(List.of("n3"), jobIds(next));
        assertEquals(0, xlen("high"), "the acked high entry is deleted");
        assertEquals(1, xlen("normal"), "only the entry just taken is left");
        assertEquals(1, pending("normal"), "and it is pending, not acked");
        assertEquals(List.of(), join(queue.ackAndTake(next, cfg, "node-1", 10, NO_WAIT)));
        assertEquals(0, xlen("normal"), "acked by a take that found nothing");
        assertEquals(0, pending("normal"));
    }

    @Test
    void trimRemovesAckedEntriesButNeverPendingOrUndeliveredOnes() {
        RedisJobQueue keeping = new RedisJobQueue(redisson, settings("spindle.queue.ack-deletes = off"));
        join(keeping.enqueueAll(tickets(10)));
        List<Delivery> got = take(keeping, "node-1", 3);
        join(keeping.ack(got.subList(0, 2)));
        assertEquals(10, xlen("normal"), "without ack-deletes acked entries stay until trimmed");

        assertEquals(2L, join(keeping.trim(cfg)));

        assertEquals(8, xlen("normal"), "the pending entry and everything after it stay");
        assertEquals(List.of(got.get(2).deliveryId()), ids(join(keeping.claimStale(cfg, "node-2", Duration.ZERO, 10))));
        assertEquals(7, take(keeping, "node-1", 100).size());
        assertEquals(0L, join(keeping.trim(cfg)), "nothing acked since");
    }

    @Test
    void streamsStayBoundedOverManyEnqueueTakeAckCycles() {
        RedisJobQueue keeping = new RedisJobQueue(redisson, settings("spindle.queue.ack-deletes = off"));
        long memoryBefore = usedMemory();
        int batch = 1000;
        for (int cycle = 0; cycle < 30; cycle++) {
            RedisJobQueue q = cycle % 2 == 0 ? queue : keeping;
            join(q.enqueueAll(tickets(batch)));
            List<Delivery> got = new ArrayList<>();
            for (List<Delivery> d = take(q, "node-1", 256); !d.isEmpty(); d = take(q, "node-1", 256)) {
                got.addAll(d);
            }
            assertEquals(batch, got.size());
            join(q.ack(got));
            join(q.trim(cfg));
            assertEquals(0, xlen("normal"), "cycle " + cycle);
        }
        long growth = usedMemory() - memoryBefore;
        assertTrue(growth < 1_000_000, "Redis memory grew by " + growth + " bytes over 30k tickets");
    }

    @Test
    void queueKeepsWorkingAfterRedisIsFlushed() {
        join(queue.enqueueAll(tickets(3)));
        List<Delivery> before = take(queue, "node-1", 1);

        REDIS.flushAll();

        join(queue.ack(before));
        assertEquals(0L, join(queue.depth(cfg)));
        assertTrue(join(queue.claimStale(cfg, "node-2", Duration.ZERO, 10)).isEmpty());
        assertEquals(0L, join(queue.trim(cfg)));
        // The JobEntity outbox re-enqueues what Redis lost; the group is recreated on the next take.
        join(queue.enqueueAll(tickets(3)));
        List<Delivery> after = take(queue, "node-1", 10);
        assertEquals(List.of("j0", "j1", "j2"), jobIds(after));
        join(queue.ack(after));
        assertEquals(0, xlen("normal"));
    }

    @Test
    void queueRecoversWhenRedisIsKilledAndRestartedEmpty() throws Exception {
        try (RedisJobQueue slowPolling = new RedisJobQueue(redisson, settings("spindle.queue.recheck-interval = 60s"))) {
            String waitedOn = cfg + "-waited-on";
            join(queue.enqueue(ticket("lost", 5)));
            join(slowPolling.take(waitedOn, "node-2", 1, Duration.ofMillis(1)));
            REDIS.kill();
            REDIS.restart();

            List<Delivery> got = Poll.until(() -> {
                join(queue.enqueue(ticket("again", 5)));
                return take(queue, "node-1", 10);
            }, d -> !d.isEmpty(), Duration.ofSeconds(30), "a take after the restart");
            assertEquals("again", got.get(0).ticket().jobId());

            // The ready-signal subscription made before the crash is back too: a waiting take is woken by it.
            CompletableFuture<List<Delivery>> waiting =
                    slowPolling.take(waitedOn, "node-2", 1, Duration.ofSeconds(60)).toCompletableFuture();
            Poll.until(() -> REDIS.commandLong("EXISTS", "spindle:q:{" + waitedOn + "}:low"), n -> n == 1L, TIMEOUT, "the first read");
            join(queue.enqueue(new QueueTicket("signalled", waitedOn, 5, 1)));
            assertEquals("signalled", waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(0).ticket().jobId());
        }
    }

    @Test
    void waitingTakesHoldNoConnectionsSoOtherConfigsAreNotStarved() throws Exception {
        Config tiny = ConfigFactory.parseString("spindle.redis { connection-pool-size = 2, connection-minimum-idle-size = 1 }")
                .withFallback(ConfigFactory.load());
        RedissonClient small = RedisClients.create(tiny, REDIS.uri(), REDIS.password());
        try (RedisJobQueue q = new RedisJobQueue(small, settings(""))) {
            List<CompletableFuture<List<Delivery>>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(q.take(cfg + "-idle-" + i, "node-1", 1, Duration.ofSeconds(20)).toCompletableFuture());
            }
            for (int i = 0; i < 20; i++) {
                String idle = cfg + "-idle-" + i;
                Poll.until(() -> REDIS.commandLong("EXISTS", "spindle:q:{" + idle + "}:low"), n -> n == 1L, TIMEOUT, "the first read of " + idle);
            }

            long start = System.nanoTime();
            join(q.enqueue(ticket("busy", 5)));
            List<Delivery> got = take(q, "node-1", 1);
            join(q.ack(got));
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(List.of("busy"), jobIds(got));
            assertTrue(tookMs < 2000, "enqueue/take/ack took " + tookMs + " ms next to 20 waiting takes on a pool of 2");
            assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
            join(q.enqueueAll(IntStream.range(0, 20).mapToObj(i -> new QueueTicket("w" + i, cfg + "-idle-" + i, 5, 1)).toList()));
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of("w" + i), jobIds(waiting.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
            }
        } finally {
            small.shutdown();
        }
    }

    @Test
    void waitingTakeIsWokenByTheEnqueueSignalNotByPolling() throws Exception {
        try (RedisJobQueue slowPolling = new RedisJobQueue(redisson, settings("spindle.queue.recheck-interval = 60s"))) {
            CompletableFuture<List<Delivery>> waiting = slowPolling.take(cfg, "node-1", 1, Duration.ofSeconds(60)).toCompletableFuture();
            // Once the take's first read ran (its script created the streams), only a signal can wake it within 60 s.
            Poll.until(() -> xlenOrMissing("low"), n -> n == 0L, TIMEOUT, "the first read");
            assertFalse(waiting.isDone());

            join(queue.enqueue(ticket("wake", 5)));

            assertEquals(List.of("wake"), jobIds(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
        }
    }

    @Test
    void anEnqueueOfTheSameNodeServesItsWaitingTakeInItsOwnRoundTrip() throws Exception {
        try (RedisJobQueue node = new RedisJobQueue(redisson, settings("spindle.queue.recheck-interval = 60s"))) {
            CompletableFuture<List<Delivery>> waiting = node.take(cfg, "node-1", 2, Duration.ofSeconds(60)).toCompletableFuture();
            Poll.until(() -> node.waitingTakes(cfg), n -> n == 1, TIMEOUT, "the take to wait");
            long before = node.roundTrips();

            join(node.enqueue(ticket("local", 5)));

            assertEquals(List.of("local"), jobIds(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
            assertEquals(1, node.roundTrips() - before, "the enqueue also took: no signal round trip, no second read");
            assertEquals(0, node.waitingTakes(cfg));
            assertEquals(1L, pending("normal"), "delivered through the consumer group like any take");
            join(node.ack(waiting.get()));
            assertEquals(0, xlen("normal"));
        }
    }

    @Test
    void aServedTakeGetsAtMostItsMaxAndOtherNodesAreSignalledForTheRest() throws Exception {
        try (RedisJobQueue node1 = new RedisJobQueue(redisson, settings("spindle.queue.recheck-interval = 60s"));
             RedisJobQueue node2 = new RedisJobQueue(redisson, settings("spindle.queue.recheck-interval = 60s"))) {
            CompletableFuture<List<Delivery>> local = node1.take(cfg, "node-1", 1, Duration.ofSeconds(60)).toCompletableFuture();
            CompletableFuture<List<Delivery>> remote = node2.take(cfg, "node-2", 5, Duration.ofSeconds(60)).toCompletableFuture();
            Poll.until(() -> node1.waitingTakes(cfg) + node2.waitingTakes(cfg), n -> n == 2, TIMEOUT, "both takes to wait");

            join(node1.enqueueAll(List.of(ticket("a", 5), ticket("b", 5), ticket("c", 5))));

            assertEquals(List.of("a"), jobIds(local.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)));
            assertEquals(List.of("b", "c"), jobIds(remote.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)),
                    "the entries the served take left are signalled to the other node's take");
        }
    }

    @Test
    void anEnqueueForAConfigWithoutAWaitingTakeOnlyEnqueues() {
        try (RedisJobQueue node = new RedisJobQueue(redisson, settings(""))) {
            join(node.enqueue(ticket("plain", 5)));

            assertEquals(0L, pending("normal"), "nothing is delivered before a take");
            assertEquals(List.of("plain"), jobIds(take(node, "node-1", 5)));
        }
    }

    @Test
    void malformedEntriesAreDiscardedNotDelivered() {
        String key = "spindle:q:{" + cfg + "}:normal";
        REDIS.command("XADD", key, "*", "garbage", "1");
        REDIS.command("XADD", key, "*", "job", "x", "pri", "five", "att", "1");
        join(queue.enqueue(ticket("good", 5)));

        assertEquals(List.of("good"), jobIds(take(queue, "node-1", 10)));
        assertEquals(1, xlen("normal"), "only the good, pending entry is left");
    }

    @Test
    void trimRemovesIdleConsumersWithoutPendingEntries() {
        RedisJobQueue expiring = new RedisJobQueue(redisson, settings("spindle.queue.consumer-expiry = 0s"));
        join(expiring.enqueueAll(tickets(2)));
        join(expiring.ack(take(expiring, "gone-node", 1)));
        take(expiring, "busy-node", 1);

        join(expiring.trim(cfg));

        List<Delivery> stillPending = join(expiring.claimStale(cfg, "busy-node", Duration.ZERO, 10));
        assertEquals(1, stillPending.size(), "the consumer holding an entry keeps it");
        assertEquals(1L, consumers(cfg, "normal"), "only the consumer with a pending entry is left");
    }

    @Test
    void bandsAreConfigurable() {
        RedisJobQueue exact = new RedisJobQueue(redisson, settings("spindle.queue.bands = ["
                + IntStream.rangeClosed(0, 9).map(i -> 9 - i).mapToObj(p -> "{name = p" + p + ", min-priority = " + p + "}")
                        .reduce((a, b) -> a + "," + b).orElseThrow() + "]"));
        join(exact.enqueueAll(List.of(ticket("p7", 7), ticket("p8", 8), ticket("p9", 9), ticket("p3", 3))));

        assertEquals(List.of("p9", "p8", "p7", "p3"), jobIds(take(exact, "node-1", 10)));
        assertEquals(1, REDIS.commandLong("XLEN", "spindle:q:{" + cfg + "}:p9"));
    }

    private static QueueSettings settings(String overrides) {
        return QueueSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()));
    }

    private QueueTicket ticket(String jobId, int priority) {
        return new QueueTicket(jobId, cfg, priority, 1);
    }

    private List<QueueTicket> tickets(int n) {
        return IntStream.range(0, n).mapToObj(i -> ticket("j" + i, 5)).toList();
    }

    private List<Delivery> take(RedisJobQueue q, String consumer, int max) {
        return join(q.take(cfg, consumer, max, NO_WAIT));
    }

    /** XLEN of a band stream, or -1 while the stream does not exist. */
    private long xlenOrMissing(String band) {
        return REDIS.commandLong("EXISTS", "spindle:q:{" + cfg + "}:" + band) == 0 ? -1 : xlen(band);
    }

    /** Entries of a band delivered to a consumer of the group and not acked yet (0 before the group exists). */
    private long pending(String band) {
        return REDIS.commandLong("EVAL", "local p = redis.pcall('XPENDING', KEYS[1], 'dispatch') "
                + "if type(p) == 'table' and not p.err then return p[1] end return 0", "1", "spindle:q:{" + cfg + "}:" + band);
    }

    private long xlen(String band) {
        return REDIS.commandLong("XLEN", "spindle:q:{" + cfg + "}:" + band);
    }

    /** Consumers in a band stream's group, counted by the server (XINFO GROUPS in a script, to get a number back). */
    private static long consumers(String configId, String band) {
        return REDIS.commandLong("EVAL", "local g = redis.call('XINFO', 'GROUPS', KEYS[1])[1] "
                + "for i = 1, #g, 2 do if g[i] == 'consumers' then return g[i + 1] end end return -1", "1",
                "spindle:q:{" + configId + "}:" + band);
    }

    private static long usedMemory() {
        String info = REDIS.command("INFO", "memory");
        return info.lines().filter(l -> l.startsWith("used_memory:")).map(l -> Long.parseLong(l.substring("used_memory:".length()).trim()))
                .findFirst().orElseThrow();
    }
}
