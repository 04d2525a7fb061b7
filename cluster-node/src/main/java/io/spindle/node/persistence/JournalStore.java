package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.FROM_SEQ;
import static io.spindle.node.persistence.EventDocuments.KEYS;
import static io.spindle.node.persistence.EventDocuments.TO_SEQ;
import static io.spindle.node.persistence.EventDocuments.longField;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.node.persistence.JournalSettings.ScanWindows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Data access of the journal collections, shared by the journal and the read journal. Every
 * lookup is by unique key ({@code _id} = first ordering, {@code keys} = "pid|seq") so that it stays
 * cheap on the embedded server, which scans the whole collection for any range query.
 */
final class JournalStore {
    /** The metadata document holding the highest allocated global ordering. */
    static final String ORDERING_COUNTER_ID = "counter|ordering";
    private static final String MARKER_ID_PREFIX = "marker|";
    private static final String COUNTER_VALUE = "value";
    private static final String MARKER_DELETED_TO = "deletedTo";
    private static final String MARKER_HIGHEST = "highestSeq";

    private final MongoCollection<Document> journal;
    private final MongoCollection<Document> metadata;
    private final ScanWindows windows;
    private final Object indexLock = new Object();
    private CompletableFuture<Void> indexes;

    JournalStore(MongoDatabase database, String collection, String metadataCollection, ScanWindows windows) {
        this.journal = database.getCollection(collection);
        this.metadata = database.getCollection(metadataCollection);
        this.windows = windows;
    }

    /** What deleteMessagesTo left behind for a persistence id: never lowered. */
    record DeletionMarker(long deletedTo, long highestSequenceNr) {
        static final DeletionMarker NONE = new DeletionMarker(0, 0);
    }

    /** Creates the unique index on keys once; retried on the next call if it failed. */
    CompletionStage<Void> ensureIndexes() {
        synchronized (indexLock) {
            if (indexes == null || indexes.isCompletedExceptionally()) {
                indexes = Mono.from(journal.createIndex(Indexes.ascending(KEYS), new IndexOptions().unique(true)))
                        .then()
                        .toFuture();
            }
            return indexes;
        }
    }

    /** Allocates {@code count} consecutive global orderings; returns the last one. */
    CompletionStage<Long> allocateOrderings(int count) {
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions()
                .upsert(true)
                .returnDocument(ReturnDocument.AFTER);
        return Mono.from(metadata.findOneAndUpdate(
                        Filters.eq("_id", ORDERING_COUNTER_ID), Updates.inc(COUNTER_VALUE, (long) count), options))
                .map(counter -> longField(counter, COUNTER_VALUE))
                .toFuture();
    }

    /** The highest ordering allocated so far (its event may still be in flight), 0 if none. */
    CompletionStage<Long> orderingHead() {
        return Mono.from(metadata.find(Filters.eq("_id", ORDERING_COUNTER_ID)).first())
                .map(counter -> longField(counter, COUNTER_VALUE))
                .defaultIfEmpty(0L)
                .toFuture();
    }

    /** One unordered insertMany; per-document failures surface as MongoBulkWriteException. */
    CompletionStage<Void> insert(List<Document> documents) {
        return Mono.from(journal.insertMany(documents, new InsertManyOptions().ordered(false)))
                .then()
                .toFuture();
    }

    /** The documents whose first ordering is in [from, to], in ordering order. */
    CompletionStage<List<Document>> documentsStartingIn(long from, long to) {
        List<Long> ids = new ArrayList<>((int) (to - from + 1));
        for (long ord = from; ord <= to; ord++) {
            ids.add(ord);
        }
        return Flux.from(journal.find(Filters.in("_id", ids)))
                .collectSortedList(Comparator.comparingLong(EventDocuments::firstOrdering))
                .toFuture();
    }

    /**
     * Visits the documents of a persistence id holding sequence nrs from {@code fromSeq} on, in
     * order, until {@code toSeq}, the end of its events, or the visitor returns false. Completes
     * with the highest sequence nr seen (0 if none). Looks up windows of keys; a window without
     * its last key ends the scan, since a persistence id's sequence nrs have no holes.
     */
    CompletionStage<Long> scan(String persistenceId, long fromSeq, long toSeq, Predicate<Document> visitor) {
        return scanWindow(persistenceId, Math.max(1, fromSeq), toSeq, windows.initial(), 0L, visitor);
    }

    private CompletableFuture<Long> scanWindow(
            String persistenceId, long start, long toSeq, int window, long highest, Predicate<Document> visitor) {
        if (start > toSeq) {
            return CompletableFuture.completedFuture(highest);
        }
        long end = toSeq - start < window ? toSeq : start + window - 1;
        List<String> keys = new ArrayList<>((int) (end - start + 1));
        for (long seq = start; seq <= end; seq++) {
            keys.add(EventDocuments.key(persistenceId, seq));
        }
        return distinct(Flux.from(journal.find(Filters.in(KEYS, keys))))
                .collectSortedList(Comparator.comparingLong(document -> longField(document, FROM_SEQ)))
                .toFuture()
                .thenCompose(documents -> {
                    long seen = highest;
                    for (Document document : documents) {
                        seen = Math.max(seen, longField(document, TO_SEQ));
                        if (!visitor.test(document)) {
                            return CompletableFuture.completedFuture(seen);
                        }
                    }
                    if (documents.isEmpty() || seen < end) {
                        return CompletableFuture.completedFuture(seen);
                    }
                    return scanWindow(persistenceId, seen + 1, toSeq, Math.min(window * 2, windows.max()), seen, visitor);
                });
    }

    /**
     * The embedded server answers an {@code $in} on a multikey index with a document once per
     * matching key; MongoDB returns it once.
     */
    private static Flux<Document> distinct(Flux<Document> documents) {
        return documents.distinct(document -> document.get("_id"));
    }

    CompletionStage<DeletionMarker> deletionMarker(String persistenceId) {
        return Mono.from(metadata.find(Filters.eq("_id", MARKER_ID_PREFIX + persistenceId)).first())
                .map(marker -> new DeletionMarker(longField(marker, MARKER_DELETED_TO), longField(marker, MARKER_HIGHEST)))
                .defaultIfEmpty(DeletionMarker.NONE)
                .toFuture();
    }

    /** Raises (never lowers) the deletion marker of a persistence id. */
    CompletionStage<Void> raiseDeletionMarker(String persistenceId, long deletedTo, long highestSequenceNr) {
        return Mono.from(metadata.updateOne(
                        Filters.eq("_id", MARKER_ID_PREFIX + persistenceId),
                        Updates.combine(Updates.max(MARKER_DELETED_TO, deletedTo), Updates.max(MARKER_HIGHEST, highestSequenceNr)),
                        new UpdateOptions().upsert(true)))
                .then()
                .toFuture();
    }

    /** Replaces the events array of documents (by _id) in one unordered bulk write. */
    CompletionStage<Void> replaceEvents(List<Document> documentsWithNewEvents) {
        if (documentsWithNewEvents.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WriteModel<Document>> updates = new ArrayList<>();
        for (Document document : documentsWithNewEvents) {
            updates.add(new UpdateOneModel<>(
                    Filters.eq("_id", document.get("_id")),
                    Updates.set(EventDocuments.EVENTS, EventDocuments.events(document))));
        }
        return Mono.from(journal.bulkWrite(updates, new BulkWriteOptions().ordered(false)))
                .then()
                .toFuture();
    }
}
