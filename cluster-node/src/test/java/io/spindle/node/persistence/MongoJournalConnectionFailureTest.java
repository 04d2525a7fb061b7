package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.spindle.node.persistence.JournalClient.WriteResult;
import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.testsupport.MongoServerExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Storage failures fail the whole write (the entity stops) instead of being mistaken for rejections. */
class MongoJournalConnectionFailureTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private ActorTestKit kit;

    @AfterEach
    void stopSystem() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Test
    void writesAndReplaysFailWhenTheServerIsGone() {
        kit = ActorTestKit.create("MongoJournalConnectionFailureTest",
                PersistenceTestConfig.config(MONGO.uri(), MongoServerExtension.freshDatabaseName()));
        JournalClient journal = new JournalClient(kit);
        assertEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$,
                journal.write(JournalClient.atomic(journal.event("a", 1, new Appended("stored")))).batch());

        MONGO.stop();

        AtomicWrite first = JournalClient.atomic(journal.event("a", 2, new Appended("lost")));
        AtomicWrite second = JournalClient.atomic(journal.event("b", 1, new Appended("lost too")),
                journal.event("b", 2, new Appended("and this")));
        TestProbe<Object> firstProbe = journal.send(first);
        TestProbe<Object> secondProbe = journal.send(second);
        for (WriteResult result : new WriteResult[] {
                JournalClient.await(firstProbe, first), JournalClient.await(secondProbe, second)}) {
            assertInstanceOf(JournalProtocol.WriteMessagesFailed.class, result.batch());
            result.perEvent().forEach(reply -> assertInstanceOf(JournalProtocol.WriteMessageFailure.class, reply));
        }
        assertInstanceOf(JournalProtocol.ReplayMessagesFailure.class, journal.replayOutcome("a"));
        assertEquals(2, JournalMetrics.get(kit.system()).failedWrites());
    }
}
