package io.spindle.node.persistence;

import static io.spindle.node.persistence.ReadJournalFixture.BLOCK_LIFETIME;
import static io.spindle.node.persistence.ReadJournalFixture.GAP_TIMEOUT;
import static io.spindle.node.persistence.ReadJournalFixture.TIMEOUT;
import static io.spindle.node.persistence.ReadJournalFixture.assertIncreasingOffsets;
import static io.spindle.node.persistence.ReadJournalFixture.events;
import static io.spindle.node.persistence.ReadJournalFixture.offsetOf;
import static io.spindle.node.persistence.ReadJournalFixture.pid;
import static io.spindle.node.persistence.ReadJournalFixture.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.persistence.EventDocuments.EncodedWrite;
import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Events by tag across the orderings the journals of several nodes reserve in blocks: a write in flight is waited
 * for, a gap that never fills is passed after the gap timeout, and every event of nodes writing at once or in turns
 * is delivered once, in ordering order.
 */
class MongoReadJournalOrderingTest {
    @RegisterExtension
    @Order(1)
    static final MongoServerExtension MONGO = new MongoServerExtension();
    @RegisterExtension
    @Order(2)
    static final ReadJournalFixture READS = new ReadJournalFixture("MongoReadJournalOrderingTest", MONGO);

    private final JournalClient journal = READS.journal();
    private final MongoReadJournal queries = READS.queries();

    /**
     * Reserves an ordering the way another node's journal does, without inserting yet; then waits until this
     * journal's own block has run out, so that its next write is numbered after the ordering in flight.
     */
    private static long allocateInFlightOrdering() throws Exception {
        long inFlight = store().allocateOrderings(1).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(BLOCK_LIFETIME.multipliedBy(2).toMillis());
        return inFlight;
    }

    private static JournalStore store() {
        return new JournalStore(SharedMongoClient.get(READS.kit().system()), "journal", "journal_metadata",
                new JournalSettings.ScanWindows(16, 512));
    }

    /** Completes the in-flight write: the document of one event at the given ordering. */
    private static void insertLate(String pid, long ordering, Object payload, String tag) throws Exception {
        EventDocuments documents = new EventDocuments(SerializationExtension.get(Adapter.toClassic(READS.kit().system())), Long.MAX_VALUE);
        EncodedWrite write = documents.encode(JournalClient.atomic(READS.journal().event(pid, 1, payload, tag)), System.currentTimeMillis());
        EventDocuments.assignOrderings(write.document(), ordering, System.currentTimeMillis());
        store().insert(List.of(write.document())).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void liveEventsByTagWaitsForAnInFlightWriteInsteadOfSkippingIt() throws Exception {
        String job = tag("job");
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("first"), job)));
        long inFlight = allocateInFlightOrdering();
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("third"), job)));

        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.noOffset()));
        assertEquals(new Appended("first"), probe.receiveMessage(TIMEOUT).event());
        // "third" is stored, but passing the missing ordering now could lose "second" for good.
        probe.expectNoMessage(Duration.ofMillis(1000));

        insertLate(pid(), inFlight, new Appended("second"), job);
        EventEnvelope second = probe.receiveMessage(TIMEOUT);
        assertEquals(new Appended("second"), second.event());
        assertEquals(inFlight, offsetOf(second));
        assertEquals(new Appended("third"), probe.receiveMessage(TIMEOUT).event());
    }

    @Test
    void eventsByTagPassesAGapThatNeverFillsAfterTheGapTimeout() throws Exception {
        String job = tag("job");
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("before"), job)));
        allocateInFlightOrdering();
        // The gap is known to be at least as old as the write after it.
        long start = System.nanoTime();
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("after"), job)));

        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.noOffset()));
        assertEquals(new Appended("before"), probe.receiveMessage(TIMEOUT).event());
        assertEquals(new Appended("after"), probe.receiveMessage(TIMEOUT).event());
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= GAP_TIMEOUT.toMillis(), "passed the gap after " + waitedMillis + " ms");

        // A current query started later finds the gap old and passes it without waiting.
        long before = System.nanoTime();
        assertEquals(List.of(new Appended("before"), new Appended("after")),
                events(READS.current(queries.currentEventsByTag(job, Offset.noOffset()))));
        assertTrue((System.nanoTime() - before) / 1_000_000 < GAP_TIMEOUT.toMillis(), "old gap passed at once");
    }

    @Test
    void liveEventsByTagSeesEveryEventOfTwoConcurrentlyWritingNodesOnce() {
        String job = tag("job");
        ActorTestKit otherNode = READS.otherNode("MongoReadJournalTestNode2");
        try {
            TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.noOffset()));
            int entitiesPerNode = 20;
            int appendsPerEntity = 10;
            List<ActorRef<TestEntity.Command>> entities = new ArrayList<>();
            for (int i = 0; i < entitiesPerNode; i++) {
                entities.add(READS.kit().spawn(TestEntity.create("n1-" + job + "-" + i, Set.of(job))));
                entities.add(otherNode.spawn(TestEntity.create("n2-" + job + "-" + i, Set.of(job))));
            }
            TestProbe<Integer> acks = READS.kit().createTestProbe();
            for (int round = 0; round < appendsPerEntity; round++) {
                for (ActorRef<TestEntity.Command> entity : entities) {
                    entity.tell(new Append(List.of("r" + round), acks.ref()));
                }
            }
            int total = entities.size() * appendsPerEntity;
            acks.receiveSeveralMessages(total, Duration.ofSeconds(60));

            List<EventEnvelope> received = probe.receiveSeveralMessages(total, Duration.ofSeconds(60));
            Set<String> distinct = new HashSet<>();
            received.forEach(envelope -> distinct.add(envelope.persistenceId() + "#" + envelope.sequenceNr()));
            assertEquals(total, distinct.size());
            assertIncreasingOffsets(received);
            probe.expectNoMessage(Duration.ofMillis(300));
        } finally {
            otherNode.shutdownTestKit();
        }
    }

    private static long counterNow() throws Exception {
        return store().orderingHead().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void liveEventsByTagDoesNotWaitOutTheReservedBlockOfAnIdleNode() throws Exception {
        String job = tag("job");
        long start = counterNow();
        ActorTestKit otherNode = READS.otherNode("MongoReadJournalTestIdleBlock");
        try {
            JournalClient other = new JournalClient(otherNode);
            TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.sequence(start)));
            // This node's block is reserved first and stays mostly unused; the other node's block lies above it.
            journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("here"), job)));
            other.write(JournalClient.atomic(other.event(pid(), 1, new Appended("there"), job)));
            long written = System.nanoTime();

            assertEquals(new Appended("here"), probe.receiveMessage(TIMEOUT).event());
            assertEquals(new Appended("there"), probe.receiveMessage(TIMEOUT).event());
            long waitedMillis = (System.nanoTime() - written) / 1_000_000;
            assertTrue(waitedMillis < GAP_TIMEOUT.toMillis(),
                    "the idle node gave up the rest of its block; waited " + waitedMillis + " ms");
            probe.expectNoMessage(Duration.ofMillis(300));
        } finally {
            otherNode.shutdownTestKit();
        }
    }

    @Test
    void eventsOfTwoNodesWritingInTurnsAreDeliveredOnceInOrderingOrder() throws Exception {
        String job = tag("job");
        long start = counterNow();
        ActorTestKit otherNode = READS.otherNode("MongoReadJournalTestTurns");
        try {
            JournalClient other = new JournalClient(otherNode);
            TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.sequence(start)));
            String here = pid();
            String there = pid();
            int rounds = 12;
            for (int round = 1; round <= rounds; round++) {
                journal.write(JournalClient.atomic(journal.event(here, round, new Appended("here" + round), job)));
                other.write(JournalClient.atomic(other.event(there, round, new Appended("there" + round), job)));
                // Most turns within a block's lifetime (both nodes' blocks open at once), every third after it.
                Thread.sleep(round % 3 == 0 ? BLOCK_LIFETIME.toMillis() + 100 : 20);
            }
            long lastWritten = System.nanoTime();

            List<EventEnvelope> received = probe.receiveSeveralMessages(2 * rounds, TIMEOUT);
            long waitedMillis = (System.nanoTime() - lastWritten) / 1_000_000;
            probe.expectNoMessage(Duration.ofMillis(300));
            Set<String> distinct = new HashSet<>();
            received.forEach(envelope -> distinct.add(envelope.persistenceId() + "#" + envelope.sequenceNr()));
            assertEquals(2 * rounds, distinct.size(), "each event once: " + received);
            assertIncreasingOffsets(received);
            for (String pid : List.of(here, there)) {
                List<Long> seqs = received.stream().filter(e -> e.persistenceId().equals(pid)).map(EventEnvelope::sequenceNr).toList();
                assertEquals(java.util.stream.LongStream.rangeClosed(1, rounds).boxed().toList(), seqs, pid);
            }
            assertTrue(waitedMillis < GAP_TIMEOUT.toMillis(), "no gap waited out; the last event came " + waitedMillis + " ms late");
            assertEquals(received, READS.current(queries.currentEventsByTag(job, Offset.sequence(start))),
                    "a later query sees the same events in the same order");
        } finally {
            otherNode.shutdownTestKit();
        }
    }

    @Test
    void theUnusedBlockOfACrashedNodeIsPassedInOneGapTimeout() throws Exception {
        String job = tag("job");
        long start = counterNow();
        // A node reserved a block spanning several query windows (a flush larger than a block reserves one of
        // its own size) and crashed before using it.
        int reserved = 1000;
        long last = store().allocateOrderings(reserved).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(BLOCK_LIFETIME.multipliedBy(2).toMillis()); // this node's own block, if any, runs out
        long written = System.nanoTime();
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("after the crash"), job)));

        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.sequence(start)));
        assertEquals(new Appended("after the crash"), probe.receiveMessage(TIMEOUT).event());
        long waitedMillis = (System.nanoTime() - written) / 1_000_000;
        assertTrue(waitedMillis >= GAP_TIMEOUT.toMillis(), "the reserved orderings were waited for: " + waitedMillis + " ms");
        assertTrue(waitedMillis < 2 * GAP_TIMEOUT.toMillis(), "one wait for the whole block, not one per window: "
                + waitedMillis + " ms");

        // The other tests' queries start from the beginning of the journal: leave them no fresh gap to wait at.
        store().insert(List.of(EventDocuments.filler(last - reserved + 1, last, System.currentTimeMillis())))
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
