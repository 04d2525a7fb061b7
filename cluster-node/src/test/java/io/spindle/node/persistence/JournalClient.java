package io.spindle.node.persistence;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import scala.jdk.javaapi.CollectionConverters;

/** Talks Pekko's journal protocol to the Mongo journal actor, as a persistent actor would. */
final class JournalClient {
    static final String JOURNAL = "spindle.persistence.journal";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ActorTestKit kit;
    private final ActorRef journal;
    private final String writerUuid = UUID.randomUUID().toString();

    JournalClient(ActorTestKit kit) {
        this.kit = kit;
        this.journal = Persistence.get(Adapter.toClassic(kit.system())).journalFor(JOURNAL, ConfigFactory.empty());
    }

    /** The outcome of one WriteMessages: the batch reply, then one reply per event. */
    record WriteResult(Object batch, List<Object> perEvent) {
    }

    PersistentRepr event(String persistenceId, long sequenceNr, Object payload, String... tags) {
        Object tagged = tags.length == 0 ? payload : new Tagged(payload, Set.of(tags));
        return PersistentRepr.apply(tagged, sequenceNr, persistenceId, "", false, null, writerUuid);
    }

    static AtomicWrite atomic(PersistentRepr... events) {
        return AtomicWrite.apply(CollectionConverters.asScala(List.of(events)).toList());
    }

    /** Sends one WriteMessages; call {@link #await} for the result (lets tests send several at once). */
    TestProbe<Object> send(AtomicWrite... writes) {
        TestProbe<Object> probe = kit.createTestProbe();
        List<PersistentEnvelope> envelopes = List.of(writes);
        journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(envelopes).toList(),
                Adapter.toClassic(probe.ref()), 1), ActorRef.noSender());
        return probe;
    }

    static WriteResult await(TestProbe<Object> probe, AtomicWrite... writes) {
        Object batch = probe.receiveMessage(TIMEOUT);
        int events = 0;
        for (AtomicWrite write : writes) {
            events += write.size();
        }
        List<Object> perEvent = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            perEvent.add(probe.receiveMessage(TIMEOUT));
        }
        return new WriteResult(batch, perEvent);
    }

    WriteResult write(AtomicWrite... writes) {
        return await(send(writes), writes);
    }

    /** Replays; fails the test if the journal answers with a failure. */
    List<PersistentRepr> replay(String persistenceId, long from, long to, long max) {
        return awaitReplay(sendReplay(persistenceId, from, to, max), persistenceId);
    }

    /** Sends one ReplayMessages; call {@link #awaitReplay} for the events (lets tests send several at once). */
    TestProbe<Object> sendReplay(String persistenceId, long from, long to, long max) {
        TestProbe<Object> probe = kit.createTestProbe();
        journal.tell(new JournalProtocol.ReplayMessages(from, to, max, persistenceId, Adapter.toClassic(probe.ref())),
                ActorRef.noSender());
        return probe;
    }

    static List<PersistentRepr> awaitReplay(TestProbe<Object> probe, String persistenceId) {
        List<PersistentRepr> replayed = new ArrayList<>();
        while (true) {
            Object reply = probe.receiveMessage(TIMEOUT);
            if (reply instanceof JournalProtocol.ReplayedMessage message) {
                replayed.add(message.persistent());
            } else if (reply instanceof JournalProtocol.RecoverySuccess) {
                return replayed;
            } else {
                throw new AssertionError("replay of " + persistenceId + " failed: " + reply);
            }
        }
    }

    List<PersistentRepr> replayAll(String persistenceId) {
        return replay(persistenceId, 1, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The raw reply ending a replay (RecoverySuccess or ReplayMessagesFailure). */
    Object replayOutcome(String persistenceId) {
        TestProbe<Object> probe = kit.createTestProbe();
        journal.tell(new JournalProtocol.ReplayMessages(1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId,
                Adapter.toClassic(probe.ref())), ActorRef.noSender());
        while (true) {
            Object reply = probe.receiveMessage(TIMEOUT);
            if (!(reply instanceof JournalProtocol.ReplayedMessage)) {
                return reply;
            }
        }
    }

    long highestSequenceNr(String persistenceId) {
        return awaitHighestSequenceNr(sendHighestSequenceNr(persistenceId), persistenceId);
    }

    /** Asks for the highest sequence nr only (a replay of nothing), as a brand-new entity's recovery does. */
    TestProbe<Object> sendHighestSequenceNr(String persistenceId) {
        return sendReplay(persistenceId, 1, 0, 0);
    }

    static long awaitHighestSequenceNr(TestProbe<Object> probe, String persistenceId) {
        Object reply = probe.receiveMessage(TIMEOUT);
        if (reply instanceof JournalProtocol.RecoverySuccess success) {
            return success.highestSequenceNr();
        }
        throw new AssertionError("reading the highest sequence nr of " + persistenceId + " failed: " + reply);
    }

    void deleteTo(String persistenceId, long toSequenceNr) {
        TestProbe<Object> probe = kit.createTestProbe();
        journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, Adapter.toClassic(probe.ref())),
                ActorRef.noSender());
        Object reply = probe.receiveMessage(TIMEOUT);
        if (!(reply instanceof org.apache.pekko.persistence.DeleteMessagesSuccess)) {
            throw new AssertionError("delete of " + persistenceId + " to " + toSequenceNr + " failed: " + reply);
        }
    }
}
