package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.h2.mvstore.MVMap;

/**
 * A non-unique index of the embedded store, answering queries that fix its first key by equality (or {@code $in}):
 * the read model's {@code {status: "queued", created_ns: {$lt: t}}} and the artifact catalog's {@code {job_id: j}}
 * read the documents with that value instead of every document. The server matches the whole query and sorts the
 * candidates afterwards, so the index only has to name a superset of the matches.
 *
 * <p>An MVStore map from the {@link #part part} of the first key's value, then that of the second key's value (if
 * the index has one), then the document's key, to the document's key. A part is self-delimiting: an integral
 * number as a {@link SortableLong} (ordered as the numbers), any other value as {@link #UNORDERED} and its
 * {@link BsonBytes#key key}. So the entries of one first-key value are exactly those that start with its part (a
 * range of the sorted map), ordered by the second key when that is an integer; and when the first key is an
 * integer the whole map is in its order. That order lets a page of a sorted query read only its page
 * ({@link #walk}, {@link OrderedIndexScan}): the read model's {@code {status: s}} sorted by {@code created_ns} reads
 * the newest views of that status, its unfiltered list the newest views. It lives in the same store as the
 * documents and commits with them, so it never disagrees with them after a crash.
 */
final class BsonSecondaryIndex extends Index<String> {
    private static final String ID = "_id";
    /** Starts the part of a value that is not an integral number: its place in the order is not known. */
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

    /** One entry of a {@link #walk}: a document's key and the value of the key walked by. */
    record Entry(String position, long sortValue) {}

    String firstKey() {
        return firstKey;
    }

    /** The second key, or null for an index of one key. */
    String sortKey() {
        return sortKey;
    }

    /**
     * The entries in the order of a key, within [{@code from}, {@code to}] of it, ascending or descending: with a
     * {@code firstValue}, those of that first-key value in the second key's order; without (null), all of them in
     * the first key's order. Empty when an entry in the way has a value of that key that is not an integer (or
     * none): the index does not know its place.
     */
    Optional<Iterator<Entry>> walk(Object firstValue, boolean descending, long from, long to) {
        String prefix = firstValue == null ? "" : part(firstValue);
        String unordered = entries.ceilingKey(prefix + UNORDERED);
        if ((firstValue != null && sortKey == null) || (unordered != null && unordered.startsWith(prefix + UNORDERED))) {
            return Optional.empty();
        }
        Iterator<String> keys = descending
                ? entries.keyIteratorReverse(prefix + SortableLong.encode(to) + AFTER_ALL)
                : entries.keyIterator(prefix + SortableLong.encode(from));
        return Optional.of(new Walk(keys, prefix, from, to, firstValue == null));
    }

    /** The entries of a {@link #walk} as its keys come, until one leaves the prefix or the range. */
    private final class Walk extends Lookahead<Entry> {
        private final Iterator<String> keys;
        private final String prefix;
        private final long from;
        private final long to;
        /** Whether an entry's position must be looked up (after a first-key part, the second's length varies). */
        private final boolean lookUpPositions;

        Walk(Iterator<String> keys, String prefix, long from, long to, boolean lookUpPositions) {
            this.keys = keys;
            this.prefix = prefix;
            this.from = from;
            this.to = to;
            this.lookUpPositions = lookUpPositions;
        }

        @Override
        protected Entry advance() {
            if (!keys.hasNext()) {
                return null;
            }
            String key = keys.next();
            if (!key.startsWith(prefix) || key.startsWith(UNORDERED, prefix.length())) {
                return null;
            }
            int sortEnd = prefix.length() + SortableLong.LENGTH;
            long sortValue = SortableLong.decode(key.substring(prefix.length(), sortEnd));
            if (sortValue < from || sortValue > to) {
                return null;
            }
            return new Entry(lookUpPositions ? entries.get(key) : key.substring(sortEnd), sortValue);
        }
    }

    @Override
    public String getPosition(Document document) {
        return positionOf(document);
    }

    /** How many documents have {@code value} as (one of) their first key's values: their entries, counted without reading them. */
    long count(Object value) {
        String prefix = part(value);
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
            String prefix = part(value);
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
            if (!before.contains(key)) {
                entries.put(key + position, position); // an entry left as it was leaves its page unchanged
            }
        }
    }

    @Override
    public void drop() {
        entries.clear();
    }

    /** The entries' keys of {@code document} before its position: per first-key value (several for an array), with the second's. */
    private Set<String> entryKeys(Document document) {
        String second = sortKey == null ? "" : part(Utils.getSubdocumentValue(document, sortKey));
        Set<String> keys = new LinkedHashSet<>();
        for (KeyValue values : getKeyValues(document)) {
            keys.add(part(values.iterator().next()) + second);
        }
        return keys;
    }

    /**
     * A value's part of an entry's key, self-delimiting: an integral number (as the server compares numbers: 7, 7L
     * and 7.0 alike) as a {@link SortableLong}, any other value (null and missing alike) as {@link #UNORDERED}
     * followed by its key.
     */
    static String part(Object value) {
        Object normalized = BsonBytes.normalized(value);
        if (normalized instanceof Long || normalized instanceof Integer) {
            return SortableLong.encode(((Number) normalized).longValue());
        }
        if (normalized instanceof Double d && d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
            return SortableLong.encode(d.longValue());
        }
        return UNORDERED + BsonBytes.key(normalized);
    }

    private static String positionOf(Document document) {
        return BsonCollection.keyOf(document, ID);
    }
}
