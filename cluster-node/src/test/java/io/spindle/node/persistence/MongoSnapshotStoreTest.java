package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.persistence.TestPayloads.Ping;
import io.spindle.node.persistence.TestPayloads.Stamp;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import scala.jdk.javaapi.OptionConverters;

class MongoSnapshotStoreTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static ActorTestKit kit;
    private static ActorRef store;

    public record Counter(long count) implements TestJsonSerializable {
    }

    @BeforeAll
    static void startSystem() {
        kit = ActorTestKit.create("MongoSnapshotStoreTest",
                PersistenceTestConfig.config(MONGO.uri(), MongoServerExtension.freshDatabaseName()));
        store = Persistence.get(Adapter.toClassic(kit.system()))
                .snapshotStoreFor("spindle.persistence.snapshot", ConfigFactory.empty());
    }

    @AfterAll
    static void stopSystem() {
        kit.shutdownTestKit();
    }

    private static Object ask(Object message) {
        TestProbe<Object> probe = kit.createTestProbe();
        store.tell(message, Adapter.toClassic(probe.ref()));
        return probe.receiveMessage(TIMEOUT);
    }

    /** Saves a snapshot; returns the metadata as stored (Pekko stamps the timestamp). */
    private static SnapshotMetadata save(SnapshotMetadata metadata, Object snapshot) {
        Object reply = ask(new SnapshotProtocol.SaveSnapshot(metadata, snapshot));
        return assertInstanceOf(SaveSnapshotSuccess.class, reply).metadata();
    }

    private static SnapshotMetadata save(String pid, long seq, Object snapshot) {
        return save(new SnapshotMetadata(pid, seq, 0), snapshot);
    }

    private static SnapshotMetadata save(String pid, long seq) {
        SnapshotMetadata saved = save(pid, seq, new Counter(seq));
        // Distinct timestamps for the criteria tests.
        long until = saved.timestamp() + 2;
        while (System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        return saved;
    }

    private static Optional<SelectedSnapshot> load(String pid, SnapshotSelectionCriteria criteria) {
        Object reply = ask(new SnapshotProtocol.LoadSnapshot(pid, criteria, Long.MAX_VALUE));
        SnapshotProtocol.LoadSnapshotResult result = assertInstanceOf(SnapshotProtocol.LoadSnapshotResult.class, reply);
        return OptionConverters.toJava(result.snapshot());
    }

    private static long loadedSeq(String pid, SnapshotSelectionCriteria criteria) {
        return load(pid, criteria).map(selected -> selected.metadata().sequenceNr()).orElse(-1L);
    }

    private static String pid() {
        return "s-" + UUID.randomUUID();
    }

    @Test
    void loadsTheLatestSnapshotMatchingTheCriteria() {
        String pid = pid();
        SnapshotMetadata first = save(pid, 10);
        SnapshotMetadata second = save(pid, 20);
        SnapshotMetadata third = save(pid, 30);

        Optional<SelectedSnapshot> latest = load(pid, SnapshotSelectionCriteria.latest());
        assertEquals(new Counter(30), latest.orElseThrow().snapshot());
        assertEquals(third, latest.orElseThrow().metadata());
        assertEquals(20, loadedSeq(pid, SnapshotSelectionCriteria.create(25, Long.MAX_VALUE)));
        assertEquals(10, loadedSeq(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, second.timestamp() - 1)));
        assertEquals(20, loadedSeq(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, second.timestamp())));
        assertEquals(-1, loadedSeq(pid, SnapshotSelectionCriteria.create(30, Long.MAX_VALUE, 21, third.timestamp() + 1)));
        assertEquals(30, loadedSeq(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, Long.MAX_VALUE, 21, 0)));
        assertEquals(-1, loadedSeq(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, first.timestamp() - 1)));
        assertEquals(-1, loadedSeq(pid, SnapshotSelectionCriteria.none()));
        assertEquals(-1, loadedSeq(pid(), SnapshotSelectionCriteria.latest()));
    }

    @Test
    void savingTheSameSequenceNrAgainReplacesTheSnapshot() {
        String pid = pid();
        save(pid, 5);
        SnapshotMetadata again = save(pid, 5, new Counter(99));

        SelectedSnapshot loaded = load(pid, SnapshotSelectionCriteria.latest()).orElseThrow();
        assertEquals(new Counter(99), loaded.snapshot());
        assertEquals(again, loaded.metadata());
    }

    @Test
    void deletesOneSnapshotOrAllMatchingCriteria() {
        String pid = pid();
        save(pid, 10);
        save(pid, 20);
        save(pid, 30);
        save(pid, 40);

        assertInstanceOf(org.apache.pekko.persistence.DeleteSnapshotSuccess.class,
                ask(new SnapshotProtocol.DeleteSnapshot(new SnapshotMetadata(pid, 40, 0))));
        assertEquals(30, loadedSeq(pid, SnapshotSelectionCriteria.latest()));

        assertInstanceOf(org.apache.pekko.persistence.DeleteSnapshotsSuccess.class,
                ask(new SnapshotProtocol.DeleteSnapshots(pid, SnapshotSelectionCriteria.create(Long.MAX_VALUE, Long.MAX_VALUE, 15, 0))));
        assertEquals(10, loadedSeq(pid, SnapshotSelectionCriteria.latest()));

        assertInstanceOf(org.apache.pekko.persistence.DeleteSnapshotsSuccess.class,
                ask(new SnapshotProtocol.DeleteSnapshots(pid, SnapshotSelectionCriteria.latest())));
        assertEquals(-1, loadedSeq(pid, SnapshotSelectionCriteria.latest()));
    }

    @Test
    void anUnreadableSnapshotFallsBackToTheNextOlderOne() {
        String pid = pid();
        save(pid, 10);
        save(pid, 20);
        // Simulate a snapshot written by an incompatible version of the state class.
        Mono.from(SharedMongoClient.get(kit.system()).database().getCollection("snapshots").updateOne(
                Filters.eq("_id", pid + "|20"), Updates.set("payload", new Binary("{\"nope".getBytes()))))
                .block(TIMEOUT);

        assertEquals(10, loadedSeq(pid, SnapshotSelectionCriteria.latest()));
    }

    @Test
    void snapshotHoldingAnActorRefLoadsAUsableRef() {
        String pid = pid();
        TestProbe<String> target = kit.createTestProbe();
        save(pid, 1, new Ping(target.ref()));

        Ping loaded = assertInstanceOf(Ping.class, load(pid, SnapshotSelectionCriteria.latest()).orElseThrow().snapshot());
        assertEquals(target.ref(), loaded.replyTo());
        loaded.replyTo().tell("pong");
        target.expectMessage("pong");
    }

    @Test
    void snapshotMetadataIsSavedAndLoaded() {
        String pid = pid();
        Stamp stamp = new Stamp("replica-b", 7);
        SnapshotMetadata withMetadata = save(new SnapshotMetadata(pid, 10, 0).withMetadata(stamp), new Counter(10));
        assertEquals(Optional.of(stamp), OptionConverters.toJava(withMetadata.metadata()));
        save(pid, 20);

        SelectedSnapshot older = load(pid, SnapshotSelectionCriteria.create(10, Long.MAX_VALUE)).orElseThrow();
        assertEquals(new Counter(10), older.snapshot());
        assertEquals(Optional.of(stamp), OptionConverters.toJava(older.metadata().metadata()));
        SelectedSnapshot latest = load(pid, SnapshotSelectionCriteria.latest()).orElseThrow();
        assertEquals(20, latest.metadata().sequenceNr());
        assertEquals(Optional.empty(), OptionConverters.toJava(latest.metadata().metadata()));
        // A snapshot without metadata keeps the shape of the documents written before metadata was stored.
        assertTrue(storedSnapshot(pid, 10).containsKey(SerializedPayload.METADATA));
        assertEquals(Set.of("_id", "pid", "seq", "ts", "serId", "serManifest", "payload"), storedSnapshot(pid, 20).keySet());
    }

    private static Document storedSnapshot(String pid, long seq) {
        return Mono.from(SharedMongoClient.get(kit.system()).database().getCollection("snapshots")
                .find(Filters.eq("_id", pid + "|" + seq)).first()).block(TIMEOUT);
    }

    @Test
    void entityRecoversFromItsSnapshotAndTheEventsAfterIt() {
        String pid = pid();
        var entity = kit.spawn(TestEntity.withSnapshots(pid, 2));
        TestProbe<Integer> acks = kit.createTestProbe();
        for (String value : List.of("a", "b", "c", "d", "e")) {
            entity.tell(new TestEntity.Append(List.of(value), acks.ref()));
            acks.receiveMessage(TIMEOUT);
        }
        // Snapshots are saved, then the events they cover deleted, asynchronously after the persist.
        JournalClient journal = new JournalClient(kit);
        acks.awaitAssert(TIMEOUT, () -> {
            assertEquals(4, loadedSeq(pid, SnapshotSelectionCriteria.latest()));
            assertEquals(List.of(3L, 4L, 5L), journal.replayAll(pid).stream().map(event -> event.sequenceNr()).toList());
            return null;
        });
        kit.stop(entity);

        TestProbe<List<String>> values = kit.createTestProbe();
        kit.spawn(TestEntity.withSnapshots(pid, 2)).tell(new TestEntity.GetValues(values.ref()));
        assertEquals(List.of("a", "b", "c", "d", "e"), values.receiveMessage(TIMEOUT));
        assertEquals(5, journal.highestSequenceNr(pid));
    }
}
