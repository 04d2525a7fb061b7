package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.FROM_SEQ;
import static io.spindle.node.persistence.EventDocuments.KEYS;
import static io.spindle.node.persistence.EventDocuments.PID;
import static io.spindle.node.persistence.EventDocuments.TO_SEQ;
import static io.spindle.node.persistence.EventDocuments.longField;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.bson.Document;
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

    private final MongoCollection<Document> journal;
    private final MongoCollection<Document> metadata;
    /** The same collections, for the inserts and finds of every write and read: in process when the store is. */
    private final DocumentCollection journalDocuments;
    private final DocumentCollection metadataDocuments;
    private final ScanWindows windows;
    private final Object indexLock = new Object();
    private CompletableFuture<Void> indexes;

    /** The journal of the shared client: its inserts and finds in process when the store is. */
    JournalStore(SharedMongoClient mongo, String collection, String metadataCollection, ScanWindows windows) {
        this(mongo.database(), mongo.documents(collection), mongo.documents(metadataCollection), windows);
    }

    /** A journal reached through the driver only. */
    JournalStore(MongoDatabase database, String collection, String metadataCollection, ScanWindows windows) {
        this(database, new DriverDocumentCollection(database.getCollection(collection)),
                new DriverDocumentCollection(database.getCollection(metadataCollection)), windows);
    }

    private JournalStore(MongoDatabase database, DocumentCollection journalDocuments, DocumentCollection metadataDocuments,
                         ScanWindows windows) {
        this.journal = database.getCollection(journalDocuments.name());
        this.metadata = database.getCollection(metadataDocuments.name());
        this.journalDocuments = journalDocuments;
        this.metadataDocuments = metadataDocuments;
        this.windows = windows;
    }

    /**
     * How far deleteMessagesTo went for a persistence id: never lowered. Only deletes read it: a delete
     * trims events but keeps their documents (and keys), so the highest sequence nr is always the last
     * document's, deleted or not.
     */
    record DeletionMarker(long deletedTo) {
        static final DeletionMarker NONE = new DeletionMarker(0);
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
        return metadataDocuments.find(Filters.eq("_id", ORDERING_COUNTER_ID))
                .thenApply(found -> found.isEmpty() ? 0L : longField(found.get(0), COUNTER_VALUE));
    }

    /** One unordered insertMany; per-document failures surface as MongoBulkWriteException. */
    CompletionStage<Void> insert(List<Document> documents) {
        return journalDocuments.insertUnordered(documents);
    }

    /** The documents whose first ordering is in [from, to], in ordering order. */
    CompletionStage<List<Document>> documentsStartingIn(long from, long to) {
        List<Long> ids = new ArrayList<>((int) (to - from + 1));
        for (long ord = from; ord <= to; ord++) {
            ids.add(ord);
        }
        return journalDocuments.find(Filters.in("_id", ids)).thenApply(found -> {
            List<Document> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingLong(EventDocuments::firstOrdering));
            return sorted;
        });
    }

    /**
     * Sequence nrs [start, end] of one persistence id, looked up in one find; {@code size} is the
     * window it was cut from (the next one is twice as large). Empty when start is past end.
     */
    record ScanWindow(String persistenceId, long start, long end, int size) {
        boolean isEmpty() {
            return start > end;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>((int) Math.max(0, end - start + 1));
            for (long seq = start; seq <= end; seq++) {
                keys.add(EventDocuments.key(persistenceId, seq));
            }
            return keys;
        }

        /** A document keeps the keys of all its sequence nrs, also once its events were deleted. */
        boolean holds(Document document) {
            return persistenceId.equals(document.getString(PID))
                    && longField(document, FROM_SEQ) <= end && longField(document, TO_SEQ) >= start;
        }
    }

    /** The window a scan of a persistence id from {@code fromSeq} to {@code toSeq} starts with. */
    ScanWindow firstWindow(String persistenceId, long fromSeq, long toSeq) {
        return window(persistenceId, Math.max(1, fromSeq), toSeq, windows.initial());
    }

    private static ScanWindow window(String persistenceId, long start, long toSeq, int size) {
        long end = toSeq - start < size ? toSeq : start + size - 1;
        return new ScanWindow(persistenceId, start, end, size);
    }

    /**
     * Visits the documents of a persistence id holding sequence nrs from {@code fromSeq} on, in
     * order, until {@code toSeq}, the end of its events, or the visitor returns false. Completes
     * with the highest sequence nr seen (0 if none). Looks up windows of keys; a window without
     * its last key ends the scan, since a persistence id's sequence nrs have no holes.
     */
    CompletionStage<Long> scan(String persistenceId, long fromSeq, long toSeq, Predicate<Document> visitor) {
        return scanFrom(firstWindow(persistenceId, fromSeq, toSeq), toSeq, 0L, visitor);
    }

    /**
     * Goes on with a scan to {@code toSeq} whose first window was looked up already (with other
     * persistence ids' windows, by {@link #findWindows}): visits its documents, then reads on.
     */
    CompletionStage<Long> continueScan(ScanWindow first, List<Document> documents, long toSeq, Predicate<Document> visitor) {
        return visit(first, documents, toSeq, 0L, visitor);
    }

    private CompletableFuture<Long> scanFrom(ScanWindow window, long toSeq, long highest, Predicate<Document> visitor) {
        if (window.isEmpty()) {
            return CompletableFuture.completedFuture(highest);
        }
        return findWindows(List.of(window)).toCompletableFuture().thenCompose(found ->
                visit(window, found.getOrDefault(window, List.of()), toSeq, highest, visitor));
    }

    private CompletableFuture<Long> visit(
            ScanWindow window, List<Document> documents, long toSeq, long highest, Predicate<Document> visitor) {
        long seen = highest;
        for (Document document : documents) {
            seen = Math.max(seen, longField(document, TO_SEQ));
            if (!visitor.test(document)) {
                return CompletableFuture.completedFuture(seen);
            }
        }
        if (documents.isEmpty() || seen < window.end()) {
            return CompletableFuture.completedFuture(seen);
        }
        int nextSize = Math.min(window.size() * 2, windows.max());
        return scanFrom(window(window.persistenceId(), seen + 1, toSeq, nextSize), toSeq, seen, visitor);
    }

    /**
     * Looks up windows of any persistence ids in one find; answers each window's documents in
     * sequence order (a window nothing was found for is left out).
     */
    CompletionStage<Map<ScanWindow, List<Document>>> findWindows(List<ScanWindow> windowsToRead) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, List<ScanWindow>> byPersistenceId = new HashMap<>();
        for (ScanWindow window : windowsToRead) {
            keys.addAll(window.keys());
            byPersistenceId.computeIfAbsent(window.persistenceId(), pid -> new ArrayList<>()).add(window);
        }
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return journalDocuments.find(Filters.in(KEYS, new ArrayList<>(keys)))
                .thenApply(JournalStore::distinct)
                .thenApply(documents -> {
                    documents.sort(Comparator.comparingLong(document -> longField(document, FROM_SEQ)));
                    Map<ScanWindow, List<Document>> found = new HashMap<>();
                    for (Document document : documents) {
                        for (ScanWindow window : byPersistenceId.getOrDefault(document.getString(PID), List.of())) {
                            if (window.holds(document)) {
                                found.computeIfAbsent(window, w -> new ArrayList<>()).add(document);
                            }
                        }
                    }
                    return found;
                });
    }

    /**
     * The embedded server answers an {@code $in} on a multikey index with a document once per
     * matching key; MongoDB returns it once.
     */
    private static List<Document> distinct(List<Document> documents) {
        Set<Object> ids = new HashSet<>();
        List<Document> distinct = new ArrayList<>(documents.size());
        for (Document document : documents) {
            if (ids.add(document.get("_id"))) {
                distinct.add(document);
            }
        }
        return distinct;
    }

    CompletionStage<DeletionMarker> deletionMarker(String persistenceId) {
        return metadataDocuments.find(Filters.eq("_id", MARKER_ID_PREFIX + persistenceId))
                .thenApply(found -> found.isEmpty() ? DeletionMarker.NONE : toDeletionMarker(found.get(0)));
    }

    private static DeletionMarker toDeletionMarker(Document marker) {
        return new DeletionMarker(longField(marker, MARKER_DELETED_TO));
    }

    /** Raises (never lowers) the deletion marker of a persistence id. */
    CompletionStage<Void> raiseDeletionMarker(String persistenceId, long deletedTo) {
        return Mono.from(metadata.updateOne(
                        Filters.eq("_id", MARKER_ID_PREFIX + persistenceId),
                        Updates.max(MARKER_DELETED_TO, deletedTo),
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
