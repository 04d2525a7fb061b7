package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;

/**
 * A collection of the embedded store: its documents as BSON bytes in one MVStore map, keyed by the
 * {@link BsonBytes#key key} of their id, every change also logged ({@link LoggedDocuments}). A document read is a
 * fresh copy, so a reply never shares an object with the store. A query that names its ids fetches those documents
 * only (see {@link IdLookup}); a sorted page that an index can read in its order reads only its page (see
 * {@link OrderedIndexScan}).
 */
final class BsonCollection extends AbstractSynchronizedMongoCollection<String> {
    private final LoggedDocuments changes;
    private final MVMap<String, byte[]> documents;

    BsonCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                   LoggedDocuments documents, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
        this.changes = documents;
        this.documents = documents.map();
    }

    /** The key a document is stored under: that of its id, or a random one in a collection without ids. */
    static String keyOf(Document document, String idField) {
        return BsonBytes.key(idField == null ? UUID.randomUUID() : Utils.getSubdocumentValue(document, idField));
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Optional<List<Object>> ids = IdLookup.ids(query, getIdField());
        if (ids.isEmpty()) {
            Optional<Stream<Document>> page = OrderedIndexScan.candidates(getIndexes(), query, orderBy, numberToSkip, limit,
                    this::getDocument, document -> documentMatchesQuery(document, query));
            return page.isPresent()
                    ? matchDocumentsFromStream(page.get(), query, orderBy, numberToSkip, limit, batchSize, fieldSelector)
                    : super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        Stream<Document> candidates = ids.get().stream()
                .map(BsonBytes::key)
                .distinct()
                .map(this::getDocument)
                .filter(Objects::nonNull);
        // A query of ids alone matches every document found by them (keys are equal exactly when the ids compare
        // equal), so the server need not compare each document's id with each id of the query again.
        Document rest = query.size() == 1 && query.containsKey(getIdField()) ? new Document() : query;
        return matchDocumentsFromStream(candidates, rest, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * A count of the documents whose field equals one value ({@code {status: "queued"}}) is the number of that
     * value's entries in an index whose first key it is: no document is read. Any other count matches documents.
     */
    @Override
    public synchronized int count(Document query, int skip, int limit) {
        if (skip == 0 && limit <= 0 && query != null && query.size() == 1) {
            String field = query.keySet().iterator().next();
            Optional<List<Object>> values = IdLookup.ids(query, field);
            if (values.isPresent() && values.get().size() == 1) {
                for (Index<String> index : getIndexes()) {
                    if (index instanceof BsonSecondaryIndex secondary && secondary.firstKey().equals(field)) {
                        return (int) Math.min(Integer.MAX_VALUE, secondary.count(values.get().get(0)));
                    }
                }
            }
        }
        return super.count(query, skip, limit);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Stream<Map.Entry<String, byte[]>> entries = documents.entrySet().stream();
        if (isNaturalDescending(orderBy)) {
            entries = entries.sorted(Map.Entry.<String, byte[]>comparingByKey().reversed());
        }
        return matchDocumentsFromStream(entries.map(entry -> BsonBytes.decode(entry.getValue())), query, orderBy,
                numberToSkip, limit, batchSize, fieldSelector);
    }

    @Override
    protected String addDocumentInternal(Document document) {
        String key = keyOf(document, getIdField());
        if (!changes.putIfAbsent(key, BsonBytes.encode(document))) {
            throw new IllegalStateException("a document with the key of " + Utils.getSubdocumentValue(document, getIdField())
                    + " is already stored in " + this);
        }
        return key;
    }

    @Override
    protected Document getDocument(String position) {
        byte[] stored = documents.get(position);
        return stored == null ? null : BsonBytes.decode(stored);
    }

    @Override
    protected void handleUpdate(String position, Document oldDocument, Document newDocument) {
        changes.put(position, BsonBytes.encode(newDocument));
    }

    @Override
    protected void removeDocument(String position) {
        if (!changes.remove(position)) {
            throw new NoSuchElementException("no document with key " + BsonBytes.values(position) + " in " + this);
        }
    }

    @Override
    protected Stream<DocumentWithPosition<String>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(entry -> new DocumentWithPosition<>(BsonBytes.decode(entry.getValue()), entry.getKey()));
    }

    @Override
    public int count() {
        return documents.size();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    /** The size is the stored bytes, summed when asked (collStats) instead of kept up to date on every write. */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected void updateDataSize(int sizeDelta) {
        // not tracked, see tracksDataSize
    }

    @Override
    protected int getDataSize() {
        long bytes = 0;
        for (byte[] document : documents.values()) {
            bytes += document.length;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
