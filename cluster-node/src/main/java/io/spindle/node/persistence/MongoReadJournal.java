package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.SEQ;
import static io.spindle.node.persistence.EventDocuments.longField;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Source;
import org.bson.Document;

/**
 * The javadsl read journal over the Mongo journal, obtained with
 * {@code PersistenceQuery.get(system).getReadJournalFor(MongoReadJournal.class, MongoReadJournal.IDENTIFIER)}.
 * Live queries poll every {@code poll-interval}.
 *
 * <p>Tag queries follow the global ordering: each journal reserves blocks of orderings with one
 * {@code $inc} on a counter document and numbers the events of its flushes from them
 * ({@link OrderingBlocks}); the offset of an event is its ordering ({@link Sequence}, exclusive on
 * resume). Reservation and insert are separate steps, so with flushes in flight and blocks open on
 * one or several nodes a higher ordering can become visible before a lower one. A query that
 * advanced past the lower one would lose it for good, so the walk (see {@link EventsByTagWalk})
 * never passes a reserved ordering that has no document until {@code gap-timeout} has gone by,
 * longer than any ordering can still be written. Chosen over timestamps (clock skew between nodes)
 * and over a single writer (a cluster singleton in the write path): exact ordering, a round trip
 * per block rather than per flush, and a gap only costs waiting when a node crashed or a write
 * failed. The counter also bounds the walk: orderings above it do not exist yet and are never passed.
 */
public final class MongoReadJournal implements ReadJournal,
        EventsByPersistenceIdQuery, CurrentEventsByPersistenceIdQuery, EventsByTagQuery, CurrentEventsByTagQuery {

    /** The plugin id of this read journal. */
    public static final String IDENTIFIER = "spindle.persistence.query";

    private final ExtendedActorSystem system;
    private final ReadJournalSettings settings;
    private final JournalStore store;
    private final EventDocuments documents;

    MongoReadJournal(ExtendedActorSystem system, Config config) {
        this.system = system;
        this.settings = ReadJournalSettings.from(config);
        SharedMongoClient mongo = SharedMongoClient.get(Adapter.toTyped(system));
        this.store = new JournalStore(mongo, settings.collection(), settings.metadataCollection(), settings.scan());
        // Reads stay lookups by key only once the unique indexes exist.
        this.store.ensureIndexes();
        this.documents = new EventDocuments(SerializationExtension.get(system), Long.MAX_VALUE);
    }

    @Override
    public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset) {
        return byTag(tag, offset, true);
    }

    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByTag(String tag, Offset offset) {
        return byTag(tag, offset, false);
    }

    @Override
    public Source<EventEnvelope, NotUsed> eventsByPersistenceId(String persistenceId, long fromSequenceNr, long toSequenceNr) {
        return byPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, true);
    }

    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(
            String persistenceId, long fromSequenceNr, long toSequenceNr) {
        return byPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, false);
    }

    private Source<EventEnvelope, NotUsed> byTag(String tag, Offset offset, boolean live) {
        long start;
        if (offset instanceof Sequence sequence) {
            start = sequence.value();
        } else if (offset == null || offset.equals(Offset.noOffset())) {
            start = 0;
        } else {
            throw new IllegalArgumentException("MongoReadJournal supports Sequence offsets and NoOffset, not " + offset);
        }
        return Source.lazySource(() -> {
            EventsByTagWalk walk = new EventsByTagWalk(tag, start, live, store, documents, settings, this::pause);
            return Source.unfoldAsync(walk, state -> state.next().thenApply(page -> page.map(events -> Pair.create(state, events))));
        }).mapConcat(events -> events).mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    /** Where a persistence id query continues, and whether it caught up (so polls after a pause). */
    private record PersistenceIdCursor(long nextSequenceNr, boolean caughtUp) {
    }

    private Source<EventEnvelope, NotUsed> byPersistenceId(
            String persistenceId, long fromSequenceNr, long toSequenceNr, boolean live) {
        PersistenceIdCursor first = new PersistenceIdCursor(Math.max(1, fromSequenceNr), false);
        return Source.unfoldAsync(first, cursor -> {
            if (cursor.nextSequenceNr() > toSequenceNr) {
                return CompletableFuture.completedFuture(Optional.<Pair<PersistenceIdCursor, List<EventEnvelope>>>empty());
            }
            CompletionStage<Done> ready = cursor.caughtUp() ? pause() : CompletableFuture.completedFuture(Done.getInstance());
            return ready.thenCompose(paused -> page(persistenceId, cursor.nextSequenceNr(), toSequenceNr)).thenApply(page -> {
                if (page.isEmpty()) {
                    return live
                            ? Optional.of(Pair.create(new PersistenceIdCursor(cursor.nextSequenceNr(), true), page))
                            : Optional.<Pair<PersistenceIdCursor, List<EventEnvelope>>>empty();
                }
                long next = page.get(page.size() - 1).sequenceNr() + 1;
                return Optional.of(Pair.create(new PersistenceIdCursor(next, false), page));
            });
        }).mapConcat(events -> events);
    }

    private CompletionStage<List<EventEnvelope>> page(String persistenceId, long fromSequenceNr, long toSequenceNr) {
        List<EventEnvelope> page = new ArrayList<>();
        return store.scan(persistenceId, fromSequenceNr, toSequenceNr, document -> {
            for (Document event : EventDocuments.events(document)) {
                long seq = longField(event, SEQ);
                if (seq >= fromSequenceNr && seq <= toSequenceNr) {
                    page.add(documents.toEnvelope(persistenceId, event));
                }
            }
            return page.size() < settings.orderingWindow();
        }).thenApply(highest -> page);
    }

    /**
     * Completes after the poll interval, on a Pekko dispatcher thread: a plain future completed by the scheduler
     * rather than a Pekko stage, whose callbacks would run on the common pool.
     */
    private CompletionStage<Done> pause() {
        CompletableFuture<Done> paused = new CompletableFuture<>();
        system.scheduler().scheduleOnce(settings.pollInterval(), () -> paused.complete(Done.getInstance()), system.dispatcher());
        return paused;
    }
}
