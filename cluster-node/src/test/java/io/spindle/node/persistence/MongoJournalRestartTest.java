package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.GetValues;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events, orderings and snapshots survive a restart of the embedded server on the same file. */
class MongoJournalRestartTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void eventsSurviveARestartOfTheServer() throws Exception {
        String database = MongoServerExtension.freshDatabaseName();
        ActorTestKit before = ActorTestKit.create("BeforeRestart", PersistenceTestConfig.config(MONGO.uri(), database));
        try {
            TestProbe<Integer> acks = before.createTestProbe();
            for (int i = 0; i < 5; i++) {
                ActorRef<TestEntity.Command> entity = before.spawn(TestEntity.create("restart-" + i, Set.of("job")));
                entity.tell(new Append(List.of("a" + i, "b" + i), acks.ref()));
                entity.tell(new Append(List.of("c" + i), acks.ref()));
            }
            acks.receiveSeveralMessages(10, TIMEOUT);
        } finally {
            before.shutdownTestKit();
        }

        MONGO.restart();

        ActorTestKit after = ActorTestKit.create("AfterRestart", PersistenceTestConfig.config(MONGO.uri(), database));
        try {
            TestProbe<List<String>> values = after.createTestProbe();
            for (int i = 0; i < 5; i++) {
                after.spawn(TestEntity.create("restart-" + i, Set.of("job"))).tell(new GetValues(values.ref()));
                assertEquals(List.of("a" + i, "b" + i, "c" + i), values.receiveMessage(TIMEOUT));
            }
            MongoReadJournal queries = PersistenceQuery.get(Adapter.toClassic(after.system()))
                    .getReadJournalFor(MongoReadJournal.class, MongoReadJournal.IDENTIFIER);
            List<EventEnvelope> tagged = queries.currentEventsByTag("job", Offset.noOffset())
                    .runWith(Sink.seq(), after.system()).toCompletableFuture().get();
            assertEquals(15, tagged.size());

            // Writing continues after the restart, with orderings above the old ones.
            TestProbe<Integer> acks = after.createTestProbe();
            ActorRef<TestEntity.Command> entity = after.spawn(TestEntity.create("restart-0", Set.of("job")));
            entity.tell(new Append(List.of("d0"), acks.ref()));
            assertEquals(4, acks.receiveMessage(TIMEOUT));
            List<EventEnvelope> more = queries.currentEventsByTag("job", tagged.get(14).offset())
                    .runWith(Sink.seq(), after.system()).toCompletableFuture().get();
            assertEquals(List.of(new TestEntity.Appended("d0")), more.stream().map(EventEnvelope::event).toList());
        } finally {
            after.shutdownTestKit();
        }
    }
}
