package io.spindle.node.persistence;

import static io.spindle.node.persistence.ReadJournalFixture.TIMEOUT;
import static io.spindle.node.persistence.ReadJournalFixture.assertIncreasingOffsets;
import static io.spindle.node.persistence.ReadJournalFixture.events;
import static io.spindle.node.persistence.ReadJournalFixture.offsetOf;
import static io.spindle.node.persistence.ReadJournalFixture.pid;
import static io.spindle.node.persistence.ReadJournalFixture.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.persistence.TestPayloads.Ping;
import io.spindle.node.persistence.TestPayloads.Stamp;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read journal's queries: by persistence id and by tag, current and live, with offsets and metadata. */
class MongoReadJournalTest {
    @RegisterExtension
    @Order(1)
    static final MongoServerExtension MONGO = new MongoServerExtension();
    @RegisterExtension
    @Order(2)
    static final ReadJournalFixture READS = new ReadJournalFixture("MongoReadJournalTest", MONGO);

    private final JournalClient journal = READS.journal();
    private final MongoReadJournal queries = READS.queries();

    @Test
    void currentEventsByPersistenceIdReturnsTheRangeAndCompletes() throws Exception {
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a")), journal.event(pid, 2, new Appended("b"))));
        journal.write(JournalClient.atomic(journal.event(pid, 3, new Appended("c")),
                journal.event(pid, 4, new Appended("d")), journal.event(pid, 5, new Appended("e"))));

        List<EventEnvelope> all = READS.current(queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(EventEnvelope::sequenceNr).toList());
        assertIncreasingOffsets(all);
        assertEquals(pid, all.get(0).persistenceId());
        assertEquals(List.of(new Appended("b"), new Appended("c"), new Appended("d")),
                events(READS.current(queries.currentEventsByPersistenceId(pid, 2, 4))));
        assertEquals(List.of(), READS.current(queries.currentEventsByPersistenceId(pid(), 0, Long.MAX_VALUE)));
    }

    @Test
    void eventsByPersistenceIdStreamsEventsWrittenLater() {
        String pid = pid();
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a"))));
        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByPersistenceId(pid, 0, Long.MAX_VALUE));
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
        TestProbe<String> target = READS.kit().createTestProbe();
        Stamp stamp = new Stamp("replica-c", 1);
        journal.write(JournalClient.atomic(journal.event(pid, 1, new Ping(target.ref()), pings).withMetadata(stamp)));

        Map<String, Source<EventEnvelope, NotUsed>> queriesByName = Map.of(
                "byPersistenceId", queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE),
                "byTag", queries.currentEventsByTag(pings, Offset.noOffset()));
        for (Map.Entry<String, Source<EventEnvelope, NotUsed>> query : queriesByName.entrySet()) {
            List<EventEnvelope> envelopes = READS.current(query.getValue());
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

        List<EventEnvelope> greens = READS.current(queries.currentEventsByTag(green, Offset.noOffset()));
        assertEquals(List.of(new Appended("a1"), new Appended("b2"), new Appended("a3")), events(greens));
        assertEquals(List.of(a, b, a), greens.stream().map(EventEnvelope::persistenceId).toList());
        assertIncreasingOffsets(greens);
        assertEquals(List.of(new Appended("b1"), new Appended("b2")),
                events(READS.current(queries.currentEventsByTag(blue, Offset.noOffset()))));
        assertEquals(List.of(), READS.current(queries.currentEventsByTag(tag("none"), Offset.noOffset())));
    }

    @Test
    void eventsByTagResumesAfterTheGivenOffset() throws Exception {
        String job = tag("job");
        String pid = pid();
        for (long seq = 1; seq <= 6; seq++) {
            journal.write(JournalClient.atomic(journal.event(pid, seq, new Appended("v" + seq), job)));
        }
        List<EventEnvelope> all = READS.current(queries.currentEventsByTag(job, Offset.noOffset()));
        assertEquals(6, all.size());

        // A projection stores the offset as a long and resumes from it.
        long stored = offsetOf(all.get(2));
        List<EventEnvelope> resumed = READS.current(queries.currentEventsByTag(job, Offset.sequence(stored)));
        assertEquals(all.subList(3, 6), resumed);

        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.sequence(offsetOf(all.get(4)))));
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
        List<EventEnvelope> all = READS.current(queries.currentEventsByTag(job, Offset.noOffset()));

        // The consumer stopped after "a", the first event of a three-event document.
        assertEquals(List.of(new Appended("b"), new Appended("c"), new Appended("d")),
                events(READS.current(queries.currentEventsByTag(job, all.get(0).offset()))));
        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, all.get(1).offset()));
        assertEquals(all.get(2), probe.receiveMessage(TIMEOUT));
        assertEquals(all.get(3), probe.receiveMessage(TIMEOUT));
    }

    @Test
    void liveEventsByTagDeliversEventsWrittenLater() {
        String job = tag("job");
        String pid = pid();
        TestProbe<EventEnvelope> probe = READS.live(queries.eventsByTag(job, Offset.noOffset()));
        probe.expectNoMessage(Duration.ofMillis(300));

        journal.write(JournalClient.atomic(journal.event(pid, 1, new Appended("a"), job), journal.event(pid, 2, new Appended("b"), job)));
        assertEquals(new Appended("a"), probe.receiveMessage(TIMEOUT).event());
        assertEquals(new Appended("b"), probe.receiveMessage(TIMEOUT).event());
        journal.write(JournalClient.atomic(journal.event(pid, 3, new Appended("c"), job)));
        assertEquals(new Appended("c"), probe.receiveMessage(TIMEOUT).event());
    }
}
