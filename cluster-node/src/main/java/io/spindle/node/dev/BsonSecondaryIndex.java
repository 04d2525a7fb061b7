package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.h2.mvstore.MVMap;

/**
 * A non-unique index of the embedded store, answering queries that fix its first key by equality (or {@code $in}):
 * the read model's {@code {status: "queued", created_ns: {$lt: t}}} and the artifact catalog's {@code {job_id: j}}
 * read the documents with that value instead of every document. The server matches the whole query and sorts the
 * candidates afterwards, so the index only has to name a superset of the matches.
 *
 * <p>An MVStore map from the {@link BsonBytes#key key} of the first key's value, then the second key's value as a
 * {@link SortableLong} when it is an integer ({@link #UNORDERED} otherwise, or with no second key), then the
 * document's key, to the document's key. A value's key is self-delimiting (BSON: a type byte, then a fixed or
 * length-prefixed value), so the entries of one value are exactly those that start with its key: a range of the
 * sorted map, ordered by the second key. That order lets a page of a sorted query read only its page
 * ({@link #walk}): the read model's {@code {status: s}} sorted by {@code created_ns} reads the newest views of that
 * status, not all of them. It lives in the same store as the documents and commits with them, so it never disagrees
 * with them after a crash.
 */
final class BsonSecondaryIndex extends Index<String> {
    private static final String ID = "_id";
    /** The sort part of an entry whose second key is not an integer (or of an index of one key): order unknown. */
    static final String UNORDERED = "~";
    /** Greater than every char of a stored key (their chars are bytes): the end of a range of keys. */
    private static final char AFTER_ALL = '\u0100';

    private final MVMap<String, String> entries;
    private final String firstKey;
    /** The second key, by whose integer values the entries of one first-key value are ordered; null if none. */
    private final String sortKey;

    BsonSecondaryIndex(MVMap<String, String> entries, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.entries = entries;
        this.firstKey = keys.get(0).getKey();
        this.sortKey = keys.size() > 1 ? keys.get(1).getKey() : null;
    }

    /** One entry of a {@link #walk}: a document's key and its second key's value. */
    record Entry(String position, long sortValue) {}

    String firstKey() {
        return firstKey;
    }

    /** The second key, or null for an index of one key. */
    String sortKey() {
        return sortKey;
    }

    /**
     * The entries whose first key is {@code value} and whose second key is within [{@code from}, {@code to}], in
     * the second key's order (descending if asked); empty when some document with that first key has a second key
     * that is not an integer (or none), since then the index does not know their order.
     */
    Optional<Iterator<Entry>> walk(Object value, boolean descending, long from, long to) {
        String prefix = BsonBytes.key(value);
        String unordered = entries.ceilingKey(prefix + UNORDERED);
        if (sortKey == null || (unordered != null && unordered.startsWith(prefix + UNORDERED))) {
            return Optional.empty();
        }
        Iterator<String> keys = descending
                ? entries.keyIteratorReverse(prefix + SortableLong.encode(to) + AFTER_ALL)
                : entries.keyIterator(prefix + SortableLong.encode(from));
        return Optional.of(new Iterator<>() {
            private Entry next = advance();

            private Entry advance() {
                if (!keys.hasNext()) {
                    return null;
                }
                String key = keys.next();
                if (!key.startsWith(prefix) || key.startsWith(UNORDERED, prefix.length())) {
                    return null;
                }
                int sortEnd = prefix.length() + SortableLong.LENGTH;
                long sortValue = SortableLong.decode(key.substring(prefix.length(), sortEnd));
                return sortValue < from || sortValue > to ? null : new Entry(key.substring(sortEnd), sortValue);
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Entry current = next;
                next = advance();
                return current;
            }
        });
    }

    @Override
    public String getPosition(Document document) {
        return positionOf(document);
    }

    /** How many documents have {@code value} as (one of) their first key's values: their entries, counted without reading them. */
    long count(Object value) {
        String prefix = BsonBytes.key(value);
        long count = 0;
        for (Iterator<String> keys = entries.keyIterator(prefix); keys.hasNext() && keys.next().startsWith(prefix); ) {
            count++;
        }
        return count;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<String> collection) {
        // non-unique: nothing to refuse
    }

    @Override
    public void add(Document document, String position, MongoCollection<String> collection) {
        for (String key : entryKeys(document)) {
            entries.put(key + position, position);
        }
    }

    @Override
    public String remove(Document document) {
        String position = positionOf(document);
        for (String key : entryKeys(document)) {
            entries.remove(key + position);
        }
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        return IdLookup.ids(query, firstKey).isPresent();
    }

    @Override
    public Iterable<String> getPositions(Document query) {
        List<Object> values = IdLookup.ids(query, firstKey).orElseThrow(() -> new IllegalArgumentException(
                "the index " + getName() + " cannot answer " + query));
        Set<String> positions = new LinkedHashSet<>();
        for (Object value : values) {
            String prefix = BsonBytes.key(value);
            Iterator<String> keys = entries.keyIterator(prefix);
            while (keys.hasNext()) {
                String key = keys.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                positions.add(entries.get(key));
            }
        }
        return positions;
    }

    @Override
    public long getCount() {
        return entries.sizeAsLong();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    /** A document's indexed values do not affect whether it may be written: nothing to check. */
    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<String> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, String position, MongoCollection<String> collection) {
        Set<String> before = entryKeys(oldDocument);
        Set<String> after = entryKeys(newDocument);
        if (before.equals(after)) {
            return;
        }
        for (String key : before) {
            if (!after.contains(key)) {
                entries.remove(key + position);
            }
        }
        for (String key : after) {
            entries.put(key + position, position);
        }
    }

    @Override
    public void drop() {
        entries.clear();
    }

    /** The entries' keys of {@code document} before its position: per first-key value (several for an array), its sort part. */
    private Set<String> entryKeys(Document document) {
        String sortPart = sortPart(document);
        Set<String> keys = new LinkedHashSet<>();
        for (KeyValue values : getKeyValues(document)) {
            List<Object> first = new ArrayList<>(1);
            first.add(values.iterator().next());
            keys.add(BsonBytes.key(new KeyValue(first)) + sortPart);
        }
        return keys;
    }

    private String sortPart(Document document) {
        if (sortKey == null) {
            return UNORDERED;
        }
        Object value = Utils.getSubdocumentValue(document, sortKey);
        return value instanceof Long || value instanceof Integer ? SortableLong.encode(((Number) value).longValue()) : UNORDERED;
    }

    private static String positionOf(Document document) {
        return BsonCollection.keyOf(document, ID);
    }
}
