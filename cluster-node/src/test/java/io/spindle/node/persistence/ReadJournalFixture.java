package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The journal and the read journal of one {@link ActorTestKit} on a fresh database, with what the read journal's
 * tests share: running a current query to its end, following a live one (stopped when the test ends),
 * another node on the same database, fresh ids and tags.
 */
final class ReadJournalFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(3);
    /** Short, so a test can wait for the journal's block to run out; far below the gap timeout, as required. */
    static final Duration BLOCK_LIFETIME = Duration.ofMillis(200);

    private final String name;
    private final MongoServerExtension mongo;
    private final List<UniqueKillSwitch> liveQueries = new ArrayList<>();
    private Config config;
    private ActorTestKit kit;
    private JournalClient journal;
    private MongoReadJournal queries;

    /**
     * A node named {@code name} on a fresh database of {@code mongo}'s server, started before the test class and
     * stopped after it, its live queries stopped after each test. Register it after (with a higher
     * {@code @Order} than) the server's extension.
     */
    ReadJournalFixture(String name, MongoServerExtension mongo) {
        this.name = name;
        this.mongo = mongo;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        config = PersistenceTestConfig.config(mongo.uri(), MongoServerExtension.freshDatabaseName(),
                "spindle.persistence.query.gap-timeout = " + GAP_TIMEOUT.toMillis() + "ms\n"
                        + "spindle.persistence.journal.ordering-block.lifetime = " + BLOCK_LIFETIME.toMillis() + "ms");
        kit = ActorTestKit.create(name, config);
        journal = new JournalClient(kit);
        queries = PersistenceQuery.get(Adapter.toClassic(kit.system()))
                .getReadJournalFor(MongoReadJournal.class, MongoReadJournal.IDENTIFIER);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        liveQueries.forEach(UniqueKillSwitch::shutdown);
        liveQueries.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        kit.shutdownTestKit();
    }

    ActorTestKit kit() {
        return kit;
    }

    JournalClient journal() {
        return journal;
    }

    MongoReadJournal queries() {
        return queries;
    }

    /** Another node writing to the same database; the caller shuts it down. */
    ActorTestKit otherNode(String name) {
        return ActorTestKit.create(name, config);
    }

    /** Every envelope of a current query, once it completed. */
    List<EventEnvelope> current(Source<EventEnvelope, NotUsed> query) throws Exception {
        return query.runWith(Sink.seq(), kit.system()).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A probe getting the envelopes of a live query as they come, until the test ends. */
    TestProbe<EventEnvelope> live(Source<EventEnvelope, NotUsed> query) {
        TestProbe<EventEnvelope> probe = kit.createTestProbe();
        liveQueries.add(query.viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.foreach(envelope -> probe.ref().tell(envelope)))
                .run(kit.system()));
        return probe;
    }

    static String pid() {
        return "q-" + UUID.randomUUID();
    }

    static String tag(String name) {
        return name + "-" + UUID.randomUUID();
    }

    static long offsetOf(EventEnvelope envelope) {
        return ((Sequence) envelope.offset()).value();
    }

    static List<Object> events(List<EventEnvelope> envelopes) {
        return envelopes.stream().map(EventEnvelope::event).toList();
    }

    static void assertIncreasingOffsets(List<EventEnvelope> envelopes) {
        for (int i = 1; i < envelopes.size(); i++) {
            assertTrue(offsetOf(envelopes.get(i)) > offsetOf(envelopes.get(i - 1)), "offsets increase: " + envelopes);
        }
    }
}
