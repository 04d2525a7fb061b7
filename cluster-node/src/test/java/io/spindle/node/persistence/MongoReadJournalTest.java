package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.persistence.EventDocuments.EncodedWrite;
import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.persistence.TestPayloads.Ping;
import io.spindle.node.persistence.TestPayloads.Stamp;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MongoReadJournalTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(3);
    /** Short, so a test can wait for the journal's block to run out; far below the gap timeout, as required. */
    private static final Duration BLOCK_LIFETIME = Duration.ofMillis(200);

    private static String database;
    private static ActorTestKit kit;
    private static JournalClient journal;
    private static MongoReadJournal queries;
    private final List<UniqueKillSwitch> liveQueries = new ArrayList<>();

    @BeforeAll
    static void startSystem() {
        database = MongoServerExtension.freshDatabaseName();
        kit = ActorTestKit.create("MongoReadJournalTest", config());
        journal = new JournalClient(kit);
        queries = PersistenceQuery.get(Adapter.toClassic(kit.system()))
                .getReadJournalFor(MongoReadJournal.class, MongoReadJournal.IDENTIFIER);
    }

    private static com.typesafe.config.Config config() {
        return PersistenceTestConfig.config(MONGO.uri(), database,
                "spindle.persistence.query.gap-timeout = " + GAP_TIMEOUT.toMillis() + "ms\n"
                        + "spindle.persistence.journal.ordering-block.lifetime = " + BLOCK_LIFETIME.toMillis() + "ms");
    }

    @AfterEach
    void stopLiveQueries() {
        liveQueries.forEach(UniqueKillSwitch::shutdown);
    }

    @AfterAll
    static void stopSystem() {
        kit.shutdownTestKit();
    }

    private static List<EventEnvelope> current(Source<EventEnvelope, NotUsed> query) throws Exception {
        return query.runWith(Sink.seq(), kit.system()).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private TestProbe<EventEnvelope> live(Source<EventEnvelope, NotUsed> query) {
        TestProbe<EventEnvelope> probe = kit.createTestProbe();
        liveQueries.add(query.viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.foreach(envelope -> probe.ref().tell(envelope)))
                .run(kit.system()));
        return probe;
    }

    private static String pid() {
        return "q-" + UUID.randomUUID();
    }

    private static String tag(String name) {
        return name + "-" + UUID.randomUUID();
    }

    private static long offsetOf(EventEnvelope envelope) {
        return ((Sequence) envelope.offset()).value();
    }

    private static List<Object> events(List<EventEnvelope> envelopes) {
        return envelopes.stream().map(EventEnvelope::event).toList();
    }

    private static void assertIncreasingOffsets(List<EventEnvelope> envelopes) {
        for (int i = 1; i < envelopes.size(); i++) {
            assertTrue(offsetOf(envelopes.get(i)) > offsetOf(envelopes.get(i - 1)), "offsets increase: " + envelopes);
        }
    }

    @Test
    void currentEventsByPersistenceIdReturnsTheRangeAndCompletes() throws Exception {
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a")), journal.event(pid, 2, new Appended("b"))));
        journal.write(JournalClient.atomic(journal.event(pid, 3, new Appended("c")),
                journal.event(pid, 4, new Appended("d")), journal.event(pid, 5, new Appended("e"))));

        List<EventEnvelope> all = current(queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(EventEnvelope::sequenceNr).toList());
        assertIncreasingOffsets(all);
        assertEquals(pid, all.get(0).persistenceId());
        assertEquals(List.of(new Appended("b"), new Appended("c"), new Appended("d")),
                events(current(queries.currentEventsByPersistenceId(pid, 2, 4))));
        assertEquals(List.of(), current(queries.currentEventsByPersistenceId(pid(), 0, Long.MAX_VALUE)));
    }

    @Test
    void eventsByPersistenceIdStreamsEventsWrittenLater() {
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a"))));
        TestProbe<EventEnvelope> probe = live(queries.eventsByPersistenceId(pid, 0, Long.MAX_VALUE));
        assertEquals(1, probe.receiveMessage(TIMEOUT).sequenceNr());

        journal.write(JournalClient.atomic(journal.event(pid, 2, new Appended("b")), journal.event(pid, 3, new Appended("c"))));
        assertEquals(new Appended("b"), probe.receiveMessage(TIMEOUT).event());
        assertEquals(new Appended("c"), probe.receiveMessage(TIMEOUT).event());
        probe.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void queriesCarryEventMetadataAndUsableActorRefs() throws Exception {
        String pid = pid();
        String pings = tag("pings");
        TestProbe<String> target = kit.createTestProbe();
        Stamp stamp = new Stamp("replica-c", 1);
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Ping(target.ref()), pings).withMetadata(stamp)));

        Map<String, Source<EventEnvelope, NotUsed>> queriesByName = Map.of(
                "byPersistenceId", queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE),
                "byTag", queries.currentEventsByTag(pings, Offset.noOffset()));
        for (Map.Entry<String, Source<EventEnvelope, NotUsed>> query : queriesByName.entrySet()) {
            List<EventEnvelope> envelopes = current(query.getValue());
            assertEquals(1, envelopes.size(), query.getKey());
            assertEquals(Optional.of(stamp), envelopes.get(0).getEventMetaData(), query.getKey());
            ((Ping) envelopes.get(0).event()).replyTo().tell(query.getKey());
            target.expectMessage(query.getKey());
        }
    }

    @Test
    void currentEventsByTagReturnsOnlyThatTagInWriteOrder() throws Exception {
        String green = tag("green");
        String blue = tag("blue");
        String a = pid();
        String b = pid();
        journal.write(JournalClient.atomic(journal.event(a, 1, new Appended("a1"), green)));
        journal.write(JournalClient.atomic(journal.event(b, 1, new Appended("b1"), blue),
                journal.event(b, 2, new Appended("b2"), green, blue)));
        journal.write(JournalClient.atomic(journal.event(a, 2, new Appended("a2"))));
        journal.write(JournalClient.atomic(journal.event(a, 3, new Appended("a3"), green)));

        List<EventEnvelope> greens = current(queries.currentEventsByTag(green, Offset.noOffset()));
        assertEquals(List.of(new Appended("a1"), new Appended("b2"), new Appended("a3")), events(greens));
        assertEquals(List.of(a, b, a), greens.stream().map(EventEnvelope::persistenceId).toList());
        assertIncreasingOffsets(greens);
        assertEquals(List.of(new Appended("b1"), new Appended("b2")),
                events(current(queries.currentEventsByTag(blue, Offset.noOffset()))));
        assertEquals(List.of(), current(queries.currentEventsByTag(tag("none"), Offset.noOffset())));
    }

    @Test
    void eventsByTagResumesAfterTheGivenOffset() throws Exception {
        String job = tag("job");
        String pid = pid();
        for (long seq = 1; seq <= 6; seq++) {
            journal.write(JournalClient.atomic(journal.event(pid, seq, new Appended("v" + seq), job)));
        }
        List<EventEnvelope> all = current(queries.currentEventsByTag(job, Offset.noOffset()));
        assertEquals(6, all.size());

        // A projection stores the offset as a long and resumes from it.
        long stored = offsetOf(all.get(2));
        List<EventEnvelope> resumed = current(queries.currentEventsByTag(job, Offset.sequence(stored)));
        assertEquals(all.subList(3, 6), resumed);

        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.sequence(offsetOf(all.get(4)))));
        assertEquals(all.get(5), probe.receiveMessage(TIMEOUT));
        probe.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void eventsByTagResumesInsideAPersistAll() throws Exception {
        String job = tag("job");
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a"), job),
                journal.event(pid, 2, new Appended("b"), job), journal.event(pid, 3, new Appended("c"), job)));
        journal.write(JournalClient.atomic(journal.event(pid, 4, new Appended("d"), job)));
        List<EventEnvelope> all = current(queries.currentEventsByTag(job, Offset.noOffset()));

        // The consumer stopped after "a", the first event of a three-event document.
        assertEquals(List.of(new Appended("b"), new Appended("c"), new Appended("d")),
                events(current(queries.currentEventsByTag(job, all.get(0).offset()))));
        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, all.get(1).offset()));
        assertEquals(all.get(2), probe.receiveMessage(TIMEOUT));
        assertEquals(all.get(3), probe.receiveMessage(TIMEOUT));
    }

    @Test
    void liveEventsByTagDeliversEventsWrittenLater() {
        String job = tag("job");
        String pid = pid();
        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.noOffset()));
        probe.expectNoMessage(Duration.ofMillis(300));

        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a"), job), journal.event(pid, 2, new Appended("b"), job)));
        assertEquals(new Appended("a"), probe.receiveMessage(TIMEOUT).event());
        assertEquals(new Appended("b"), probe.receiveMessage(TIMEOUT).event());
        journal.write(JournalClient.atomic(journal.event(pid, 3, new Appended("c"), job)));
        assertEquals(new Appended("c"), probe.receiveMessage(TIMEOUT).event());
    }

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
        return new JournalStore(SharedMongoClient.get(kit.system()), "journal", "journal_metadata",
                new JournalSettings.ScanWindows(16, 512));
    }

    /** Completes the in-flight write: the document of one event at the given ordering. */
    private static void insertLate(String pid, long ordering, Object payload, String tag) throws Exception {
        EventDocuments documents = new EventDocuments(SerializationExtension.get(Adapter.toClassic(kit.system())), Long.MAX_VALUE);
        EncodedWrite write = documents.encode(JournalClient.atomic(journal.event(pid, 1, payload, tag)), System.currentTimeMillis());
        EventDocuments.assignOrderings(write.document(), ordering, System.currentTimeMillis());
        store().insert(List.of(write.document())).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void liveEventsByTagWaitsForAnInFlightWriteInsteadOfSkippingIt() throws Exception {
        String job = tag("job");
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("first"), job)));
        long inFlight = allocateInFlightOrdering();
        journal.write(JournalClient.atomic(journal.event(pid(), 1, new Appended("third"), job)));

        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.noOffset()));
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

        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.noOffset()));
        assertEquals(new Appended("before"), probe.receiveMessage(TIMEOUT).event());
        assertEquals(new Appended("after"), probe.receiveMessage(TIMEOUT).event());
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= GAP_TIMEOUT.toMillis(), "passed the gap after " + waitedMillis + " ms");

        // A current query started later finds the gap old and passes it without waiting.
        long before = System.nanoTime();
        assertEquals(List.of(new Appended("before"), new Appended("after")),
                events(current(queries.currentEventsByTag(job, Offset.noOffset()))));
        assertTrue((System.nanoTime() - before) / 1_000_000 < GAP_TIMEOUT.toMillis(), "old gap passed at once");
    }

    @Test
    void liveEventsByTagSeesEveryEventOfTwoConcurrentlyWritingNodesOnce() {
        String job = tag("job");
        ActorTestKit otherNode = ActorTestKit.create("MongoReadJournalTestNode2", config());
        try {
            TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.noOffset()));
            int entitiesPerNode = 20;
            int appendsPerEntity = 10;
            List<ActorRef<TestEntity.Command>> entities = new ArrayList<>();
            for (int i = 0; i < entitiesPerNode; i++) {
                entities.add(kit.spawn(TestEntity.create("n1-" + job + "-" + i, Set.of(job))));
                entities.add(otherNode.spawn(TestEntity.create("n2-" + job + "-" + i, Set.of(job))));
            }
            TestProbe<Integer> acks = kit.createTestProbe();
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
        ActorTestKit otherNode = ActorTestKit.create("MongoReadJournalTestIdleBlock", config());
        try {
            JournalClient other = new JournalClient(otherNode);
            TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.sequence(start)));
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
        ActorTestKit otherNode = ActorTestKit.create("MongoReadJournalTestTurns", config());
        try {
            JournalClient other = new JournalClient(otherNode);
            TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.sequence(start)));
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
            assertEquals(received, current(queries.currentEventsByTag(job, Offset.sequence(start))),
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

        TestProbe<EventEnvelope> probe = live(queries.eventsByTag(job, Offset.sequence(start)));
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
