package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import io.spindle.node.persistence.JournalClient.WriteResult;
import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.persistence.TestEntity.GetValues;
import io.spindle.node.persistence.TestPayloads.Ping;
import io.spindle.node.persistence.TestPayloads.Stamp;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentRepr;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import scala.jdk.javaapi.OptionConverters;

class MongoJournalTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private static ActorTestKit kit;
    private static JournalClient journal;

    @BeforeAll
    static void startSystem() {
        kit = ActorTestKit.create("MongoJournalTest",
                PersistenceTestConfig.config(MONGO.uri(), MongoServerExtension.freshDatabaseName()));
        journal = new JournalClient(kit);
    }

    @AfterAll
    static void stopSystem() {
        kit.shutdownTestKit();
    }

    private static String pid() {
        return "p-" + UUID.randomUUID();
    }

    private static List<Long> sequenceNrs(List<PersistentRepr> events) {
        return events.stream().map(PersistentRepr::sequenceNr).toList();
    }

    private static List<Document> journalDocuments(String persistenceId) {
        return Flux.from(SharedMongoClient.get(kit.system()).database().getCollection("journal")
                        .find(Filters.eq(EventDocuments.PID, persistenceId)))
                .collectList().block(Duration.ofSeconds(10));
    }

    @Test
    void persistAllIsStoredAsOneDocumentAndReplayedWhole() {
        String pid = pid();
        WriteResult result = journal.write(JournalClient.atomic(
                journal.event(pid, 1, new Appended("a")),
                journal.event(pid, 2, new Appended("b")),
                journal.event(pid, 3, new Appended("c"))));

        assertEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$, result.batch());
        result.perEvent().forEach(reply -> assertInstanceOf(JournalProtocol.WriteMessageSuccess.class, reply));
        List<Document> documents = journalDocuments(pid);
        assertEquals(1, documents.size());
        assertEquals(3, EventDocuments.events(documents.get(0)).size());
        List<PersistentRepr> replayed = journal.replayAll(pid);
        assertEquals(List.of(1L, 2L, 3L), sequenceNrs(replayed));
        assertEquals(List.of(new Appended("a"), new Appended("b"), new Appended("c")),
                replayed.stream().map(PersistentRepr::payload).toList());
        assertEquals(pid, replayed.get(0).persistenceId());
        assertTrue(replayed.get(0).timestamp() > 0);
    }

    @Test
    void failedAtomicWriteStoresNoneOfItsEventsAndLeavesOtherWritesAlone() {
        String pid = pid();
        String bystander = pid();
        // Another writer already stored seq 2 of this persistence id.
        journal.write(JournalClient.atomic(journal.event(pid, 2, new Appended("other writer"))));

        AtomicWrite conflicting = JournalClient.atomic(
                journal.event(pid, 1, new Appended("a")),
                journal.event(pid, 2, new Appended("b")),
                journal.event(pid, 3, new Appended("c")));
        AtomicWrite unrelated = JournalClient.atomic(journal.event(bystander, 1, new Appended("fine")));
        TestProbe<Object> conflictingProbe = journal.send(conflicting);
        TestProbe<Object> unrelatedProbe = journal.send(unrelated);

        WriteResult failed = JournalClient.await(conflictingProbe, conflicting);
        assertInstanceOf(JournalProtocol.WriteMessagesFailed.class, failed.batch());
        failed.perEvent().forEach(reply -> assertInstanceOf(JournalProtocol.WriteMessageFailure.class, reply));
        assertEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$, JournalClient.await(unrelatedProbe, unrelated).batch());

        List<PersistentRepr> replayed = journal.replayAll(pid);
        assertEquals(List.of(2L), sequenceNrs(replayed));
        assertEquals(new Appended("other writer"), replayed.get(0).payload());
        assertEquals(1, journal.replayAll(bystander).size());
    }

    @Test
    void eventHoldingAnActorRefReplaysAUsableRef() {
        String pid = pid();
        TestProbe<String> target = kit.createTestProbe();
        WriteResult result = journal.write(JournalClient.atomic(journal.event(pid, 1, new Ping(target.ref()))));
        assertInstanceOf(JournalProtocol.WriteMessageSuccess.class, result.perEvent().get(0));

        Ping replayed = assertInstanceOf(Ping.class, journal.replayAll(pid).get(0).payload());
        assertEquals(target.ref(), replayed.replyTo());
        replayed.replyTo().tell("pong");
        target.expectMessage("pong");
    }

    @Test
    void eventMetadataIsStoredAndReplayed() {
        String pid = pid();
        Stamp stamp = new Stamp("replica-a", 3);
        journal.write(JournalClient.atomic(
                journal.event(pid, 1, new Appended("a")).withMetadata(stamp),
                journal.event(pid, 2, new Appended("b"))));

        List<PersistentRepr> replayed = journal.replayAll(pid);
        assertEquals(List.of(new Appended("a"), new Appended("b")), replayed.stream().map(PersistentRepr::payload).toList());
        assertEquals(Optional.of(stamp), OptionConverters.toJava(replayed.get(0).metadata()));
        assertEquals(Optional.empty(), OptionConverters.toJava(replayed.get(1).metadata()));
        // An event without metadata keeps the shape of the documents written before metadata was stored.
        List<Document> events = EventDocuments.events(journalDocuments(pid).get(0));
        assertTrue(events.get(0).containsKey(SerializedPayload.METADATA));
        assertEquals(Set.of("seq", "ord", "serId", "serManifest", "payload", "tags", "writer", "ts"), events.get(1).keySet());
    }

    /** Not bound to any serializer (and Java serialization is off). */
    record NotSerializable(String value) {
    }

    @Test
    void nonSerializableEventIsRejectedWithoutFailingItsNeighbours() {
        String pid = pid();
        AtomicWrite good1 = JournalClient.atomic(journal.event(pid, 1, new Appended("a")));
        AtomicWrite bad = JournalClient.atomic(
                journal.event(pid, 2, new Appended("b")), journal.event(pid, 3, new NotSerializable("c")));
        AtomicWrite good2 = JournalClient.atomic(journal.event(pid, 4, new Appended("d")));

        WriteResult result = journal.write(good1, bad, good2);

        assertEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$, result.batch());
        assertInstanceOf(JournalProtocol.WriteMessageSuccess.class, result.perEvent().get(0));
        assertInstanceOf(JournalProtocol.WriteMessageRejected.class, result.perEvent().get(1));
        assertInstanceOf(JournalProtocol.WriteMessageRejected.class, result.perEvent().get(2));
        assertInstanceOf(JournalProtocol.WriteMessageSuccess.class, result.perEvent().get(3));
        // The rejected AtomicWrite is absent as a whole, including its serializable event.
        assertEquals(List.of(1L, 4L), sequenceNrs(journal.replayAll(pid)));
    }

    @Test
    void replayHonoursFromToAndMax() {
        String pid = pid();
        long seq = 1;
        for (int size : new int[] {1, 3, 1, 5}) {
            List<PersistentRepr> events = new ArrayList<>();
            for (int i = 0; i < size; i++, seq++) {
                events.add(journal.event(pid, seq, new Appended("v" + seq)));
            }
            journal.write(JournalClient.atomic(events.toArray(PersistentRepr[]::new)));
        }

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), sequenceNrs(journal.replayAll(pid)));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L), sequenceNrs(journal.replay(pid, 3, 8, Long.MAX_VALUE)));
        assertEquals(List.of(3L, 4L), sequenceNrs(journal.replay(pid, 3, 8, 2)));
        assertEquals(List.of(9L, 10L), sequenceNrs(journal.replay(pid, 9, 100, Long.MAX_VALUE)));
        assertEquals(List.of(), sequenceNrs(journal.replay(pid, 11, 100, Long.MAX_VALUE)));
        assertEquals(10, journal.highestSequenceNr(pid));
        assertEquals(0, journal.highestSequenceNr(pid()));
    }

    @Test
    void deletesTrimEventsAndNeverLowerTheHighestSequenceNr() {
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a")),
                journal.event(pid, 2, new Appended("b")), journal.event(pid, 3, new Appended("c"))));
        journal.write(JournalClient.atomic(journal.event(pid, 4, new Appended("d")),
                journal.event(pid, 5, new Appended("e")), journal.event(pid, 6, new Appended("f"))));

        journal.deleteTo(pid, 4);
        assertEquals(List.of(5L, 6L), sequenceNrs(journal.replayAll(pid)));
        assertEquals(6, journal.highestSequenceNr(pid));
        List<Long> storedEvents = journalDocuments(pid).stream()
                .flatMap(document -> EventDocuments.events(document).stream())
                .map(event -> EventDocuments.longField(event, EventDocuments.SEQ))
                .toList();
        assertEquals(List.of(5L, 6L), storedEvents);

        journal.deleteTo(pid, Long.MAX_VALUE);
        assertEquals(List.of(), journal.replayAll(pid));
        assertEquals(6, journal.highestSequenceNr(pid));

        // A deletion below what is already deleted changes nothing; writing on continues.
        journal.deleteTo(pid, 2);
        journal.write(JournalClient.atomic(journal.event(pid, 7, new Appended("g"))));
        assertEquals(List.of(7L), sequenceNrs(journal.replayAll(pid)));
        assertEquals(7, journal.highestSequenceNr(pid));
    }

    @Test
    void concurrentEntitiesShareFewInsertCommandsAndRecover() throws Exception {
        JournalMetrics metrics = JournalMetrics.get(kit.system());
        long insertsBefore = metrics.insertCommands();
        long writesBefore = metrics.atomicWrites();
        int entities = 100;
        int rounds = 5;
        String prefix = "batch-" + UUID.randomUUID() + "-";
        List<ActorRef<TestEntity.Command>> refs = new ArrayList<>();
        for (int i = 0; i < entities; i++) {
            refs.add(kit.spawn(TestEntity.create(prefix + i, Set.of())));
        }

        for (int round = 0; round < rounds; round++) {
            List<CompletableFuture<Integer>> acks = new ArrayList<>();
            for (ActorRef<TestEntity.Command> ref : refs) {
                String value = "r" + round;
                CompletionStage<Integer> ack = AskPattern.ask(ref, replyTo -> new Append(List.of(value), replyTo),
                        Duration.ofSeconds(20), kit.scheduler());
                acks.add(ack.toCompletableFuture());
            }
            for (CompletableFuture<Integer> ack : acks) {
                assertEquals(round + 1, ack.get(30, TimeUnit.SECONDS));
            }
        }

        long writes = metrics.atomicWrites() - writesBefore;
        long inserts = metrics.insertCommands() - insertsBefore;
        System.out.printf("batching: %d AtomicWrites from %d concurrent entities took %d insert commands%n",
                writes, entities, inserts);
        assertEquals((long) entities * rounds, writes);
        assertTrue(inserts * 4 <= writes, "expected batching: " + writes + " writes took " + inserts + " inserts");

        // Fresh incarnations recover every value from the journal.
        refs.forEach(kit::stop);
        TestProbe<List<String>> values = kit.createTestProbe();
        for (int i = 0; i < entities; i++) {
            kit.spawn(TestEntity.create(prefix + i, Set.of())).tell(new GetValues(values.ref()));
            assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), values.receiveMessage(Duration.ofSeconds(20)));
        }
    }
}
