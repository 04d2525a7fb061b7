package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.GetValues;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entities recovering at once share their read commands (the journal's {@link RecoveryReads}, the
 * snapshot store's catalog lookups), and each still recovers exactly its own state.
 */
class JournalRecoveryCoalescingTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int NEW_IDS = 200;
    /** Read one by one, a new id's recovery costs a catalog find and a journal window find. */
    private static final int FINDS_PER_UNCOALESCED_RECOVERY = 2;
    /** Coalescing must cut the finds at least this many times. */
    private static final int REQUIRED_REDUCTION = 5;

    private static ActorTestKit kit;
    private static JournalClient journal;

    @BeforeAll
    static void startSystem() {
        kit = ActorTestKit.create("JournalRecoveryCoalescingTest",
                PersistenceTestConfig.config(MONGO.uri(), MongoServerExtension.freshDatabaseName()));
        journal = new JournalClient(kit);
    }

    @AfterAll
    static void stopSystem() {
        kit.shutdownTestKit();
    }

    private static long finds() {
        return SharedMongoClient.get(kit.system()).commandCounts().byCommand().getOrDefault("find", 0L);
    }

    private static String prefix() {
        return UUID.randomUUID() + "-";
    }

    /** Writes {@code count} single-event AtomicWrites through the journal protocol. */
    private static void writeEvents(String pid, int count) {
        for (long seq = 1; seq <= count; seq++) {
            journal.write(JournalClient.atomic(journal.event(pid, seq, new TestEntity.Appended("v" + seq))));
        }
    }

    @Test
    void concurrentHighestSequenceNrReadsShareTheirFinds() {
        String prefix = prefix();
        Map<String, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < NEW_IDS; i++) {
            expected.put(prefix + i, 0L);
        }
        // Among the new ids, some with events and some whose events were all deleted (the marker keeps the highest).
        for (int i = 0; i < 10; i++) {
            writeEvents(prefix + i, i + 1);
            expected.put(prefix + i, i + 1L);
        }
        for (int i = 10; i < 15; i++) {
            writeEvents(prefix + i, 3);
            journal.deleteTo(prefix + i, Long.MAX_VALUE);
            expected.put(prefix + i, 3L);
        }

        long before = finds();
        Map<String, TestProbe<Object>> replies = new LinkedHashMap<>();
        expected.keySet().forEach(pid -> replies.put(pid, journal.sendHighestSequenceNr(pid)));
        replies.forEach((pid, probe) ->
                assertEquals(expected.get(pid), JournalClient.awaitHighestSequenceNr(probe, pid), pid));
        long used = finds() - before;

        System.out.printf("coalescing: %d concurrent highest-sequence-nr reads took %d finds%n", expected.size(), used);
        assertTrue(used <= NEW_IDS / REQUIRED_REDUCTION,
                expected.size() + " reads took " + used + " finds (" + 2 * expected.size() + " one by one)");
    }

    @Test
    void anEntityWithAShortHistoryRecoversWithOneJournalFindAndNoMetadataFind() throws Exception {
        String pid = prefix() + "short";
        List<String> values = persist(pid, TestEntity.create(pid, Set.of()), 3, 2);
        Map<String, Long> before = findsByCollection();

        ActorRef<TestEntity.Command> entity = kit.spawn(TestEntity.create(pid, Set.of()));
        assertEquals(values, AskPattern.<TestEntity.Command, List<String>>ask(entity, GetValues::new, TIMEOUT,
                kit.scheduler()).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        Map<String, Long> after = findsByCollection();

        // The highest sequence nr's read holds the whole history: the replay reads nothing more.
        assertEquals(1, after.getOrDefault("find journal", 0L) - before.getOrDefault("find journal", 0L), after::toString);
        assertEquals(before.getOrDefault("find journal_metadata", 0L), after.getOrDefault("find journal_metadata", 0L),
                "no deletion marker read by a recovery: " + after);
        TestProbe<Integer> acks = kit.createTestProbe();
        entity.tell(new Append(List.of("after"), acks.ref()));
        assertEquals(values.size() + 1, acks.receiveMessage(TIMEOUT));
    }

    private static Map<String, Long> findsByCollection() {
        return SharedMongoClient.get(kit.system()).commandCounts().byCommandAndCollection();
    }

    @Test
    void aBurstOfNewEntitiesRecoversAndPersistsWithFewFinds() throws Exception {
        String prefix = prefix();
        long before = finds();
        List<CompletableFuture<Integer>> acks = new ArrayList<>();
        for (ActorRef<TestEntity.Command> entity : spawnAtOnce(prefix, NEW_IDS)) {
            acks.add(AskPattern.<TestEntity.Command, Integer>ask(entity,
                    replyTo -> new Append(List.of("first"), replyTo), TIMEOUT, kit.scheduler()).toCompletableFuture());
        }
        for (CompletableFuture<Integer> ack : acks) {
            assertEquals(1, ack.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        long used = finds() - before;

        int oneByOne = NEW_IDS * FINDS_PER_UNCOALESCED_RECOVERY;
        System.out.printf("coalescing: %d new entities recovered and persisted with %d finds (%d one by one)%n",
                NEW_IDS, used, oneByOne);
        assertTrue(used <= oneByOne / REQUIRED_REDUCTION, NEW_IDS + " recoveries took " + used + " finds");
    }

    /**
     * Entities {@code prefix0} … spawned by one actor in one go, so that their recoveries start together, as those
     * of a burst of new jobs do. The kit's own spawn is a round trip to its guardian per actor: spawned one by one,
     * the recoveries trickled in, and how many shared a find depended on how fast the store answered.
     */
    private static List<ActorRef<TestEntity.Command>> spawnAtOnce(String prefix, int count) {
        TestProbe<List<ActorRef<TestEntity.Command>>> spawned = kit.createTestProbe();
        kit.spawn(Behaviors.setup(ctx -> {
            List<ActorRef<TestEntity.Command>> entities = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                entities.add(ctx.spawn(TestEntity.create(prefix + i, Set.of()), "entity-" + i));
            }
            spawned.ref().tell(entities);
            return Behaviors.empty();
        }));
        return spawned.receiveMessage(TIMEOUT);
    }

    @Test
    void entitiesWithEventsDeletionsAndSnapshotsRecoverExactlyAmongNewOnes() throws Exception {
        String prefix = prefix();
        Map<String, Function<String, Behavior<TestEntity.Command>>> behaviors = new LinkedHashMap<>();
        Map<String, List<String>> expected = new LinkedHashMap<>();

        // Past the first scan window: documents of 5 events, and 20 documents of one.
        String chunked = prefix + "chunked";
        expected.put(chunked, persist(chunked, TestEntity.create(chunked, Set.of()), 8, 5));
        String single = prefix + "single";
        expected.put(single, persist(single, TestEntity.create(single, Set.of()), 20, 1));
        String small = prefix + "small";
        expected.put(small, persist(small, TestEntity.create(small, Set.of()), 1, 3));

        String partlyDeleted = prefix + "partly-deleted";
        List<String> partly = persist(partlyDeleted, TestEntity.create(partlyDeleted, Set.of()), 10, 1);
        journal.deleteTo(partlyDeleted, 6);
        expected.put(partlyDeleted, partly.subList(6, 10));
        String allDeleted = prefix + "all-deleted";
        persist(allDeleted, TestEntity.create(allDeleted, Set.of()), 10, 1);
        journal.deleteTo(allDeleted, Long.MAX_VALUE);
        expected.put(allDeleted, List.of());

        // Snapshots every 3 events, keeping one and deleting the events before it.
        String snapshotted = prefix + "snapshotted";
        expected.put(snapshotted, persist(snapshotted, TestEntity.withSnapshots(snapshotted, 3), 10, 1));
        behaviors.put(snapshotted, pid -> TestEntity.withSnapshots(pid, 3));
        TestProbe<Object> settled = kit.createTestProbe();
        settled.awaitAssert(TIMEOUT, () -> {
            assertEquals(List.of(7L, 8L, 9L, 10L), sequenceNrs(journal.replayAll(snapshotted)));
            return null;
        });

        for (int i = 0; i < NEW_IDS; i++) {
            expected.put(prefix + "new-" + i, List.of());
        }

        // All at once, in no particular order: the old ones' reads are coalesced with the new ones'.
        List<String> pids = new ArrayList<>(expected.keySet());
        Collections.shuffle(pids, new Random(42));
        Map<String, ActorRef<TestEntity.Command>> entities = new LinkedHashMap<>();
        Map<String, CompletableFuture<List<String>>> recovered = new LinkedHashMap<>();
        for (String pid : pids) {
            ActorRef<TestEntity.Command> entity = kit.spawn(
                    behaviors.getOrDefault(pid, id -> TestEntity.create(id, Set.of())).apply(pid));
            entities.put(pid, entity);
            recovered.put(pid, AskPattern.<TestEntity.Command, List<String>>ask(entity, GetValues::new, TIMEOUT,
                    kit.scheduler()).toCompletableFuture());
        }
        for (String pid : pids) {
            assertEquals(expected.get(pid), recovered.get(pid).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), pid);
        }

        // Each continues after its highest sequence nr, also where every event was deleted.
        Map<String, CompletableFuture<Integer>> acks = new LinkedHashMap<>();
        entities.forEach((pid, entity) -> acks.put(pid, AskPattern.<TestEntity.Command, Integer>ask(entity,
                replyTo -> new Append(List.of("after"), replyTo), TIMEOUT, kit.scheduler()).toCompletableFuture()));
        for (String pid : pids) {
            assertEquals(expected.get(pid).size() + 1, acks.get(pid).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), pid);
        }
        assertEquals(List.of(11L), sequenceNrs(journal.replayAll(allDeleted)));
        assertEquals(LongStream.rangeClosed(7, 11).boxed().toList(), sequenceNrs(journal.replayAll(partlyDeleted)));
        assertEquals(41, journal.highestSequenceNr(chunked));
        assertEquals(1, journal.highestSequenceNr(prefix + "new-0"));
    }

    /** Persists {@code persists} Appends of {@code perPersist} values each, then stops the entity. */
    private static List<String> persist(String pid, Behavior<TestEntity.Command> behavior, int persists, int perPersist) {
        ActorRef<TestEntity.Command> entity = kit.spawn(behavior);
        TestProbe<Integer> acks = kit.createTestProbe();
        List<String> values = new ArrayList<>();
        for (int round = 0; round < persists; round++) {
            List<String> batch = IntStream.range(0, perPersist).mapToObj(i -> pid + "-" + (values.size() + i)).toList();
            entity.tell(new Append(batch, acks.ref()));
            values.addAll(batch);
            assertEquals(values.size(), acks.receiveMessage(TIMEOUT));
        }
        kit.stop(entity);
        return List.copyOf(values);
    }

    private static List<Long> sequenceNrs(List<PersistentRepr> events) {
        return events.stream().map(PersistentRepr::sequenceNr).toList();
    }
}
