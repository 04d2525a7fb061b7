package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.h2.mvstore.MVMap;

/**
 * A non-unique index of the embedded store, answering queries that fix its first key by equality (or {@code $in}):
 * the read model's {@code {status: "queued", created_ns: {$lt: t}}} and the artifact catalog's {@code {job_id: j}}
 * read the documents with that value instead of every document. The server matches the whole query and sorts the
 * candidates afterwards, so the index only has to name a superset of the matches.
 *
 * <p>An MVStore map from the {@link BsonBytes#key key} of the first key's value followed by the document's key, to the
 * document's key. A value's key is self-delimiting (BSON: a type byte, then a fixed or length-prefixed value), so
 * the entries of one value are exactly those that start with its key: a range of the sorted map. It lives in the
 * same store as the documents and commits with them, so it never disagrees with them after a crash.
 */
final class BsonSecondaryIndex extends Index<String> {
    private static final String ID = "_id";

    private final MVMap<String, String> entries;
    private final String firstKey;

    BsonSecondaryIndex(MVMap<String, String> entries, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.entries = entries;
        this.firstKey = keys.get(0).getKey();
    }

    @Override
    public String getPosition(Document document) {
        return positionOf(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<String> collection) {
        // non-unique: nothing to refuse
    }

    @Override
    public void add(Document document, String position, MongoCollection<String> collection) {
        for (String prefix : prefixes(document)) {
            entries.put(prefix + position, position);
        }
    }

    @Override
    public String remove(Document document) {
        String position = positionOf(document);
        for (String prefix : prefixes(document)) {
            entries.remove(prefix + position);
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
        Set<String> before = prefixes(oldDocument);
        Set<String> after = prefixes(newDocument);
        if (before.equals(after)) {
            return;
        }
        for (String prefix : before) {
            if (!after.contains(prefix)) {
                entries.remove(prefix + position);
            }
        }
        for (String prefix : after) {
            entries.put(prefix + position, position);
        }
    }

    @Override
    public void drop() {
        entries.clear();
    }

    /** The keys of the first key's values in {@code document} (several for an array). */
    private Set<String> prefixes(Document document) {
        Set<String> prefixes = new LinkedHashSet<>();
        for (KeyValue values : getKeyValues(document)) {
            List<Object> first = new ArrayList<>(1);
            first.add(values.iterator().next());
            prefixes.add(BsonBytes.key(new KeyValue(first)));
        }
        return prefixes;
    }

    private static String positionOf(Document document) {
        return BsonCollection.keyOf(document, ID);
    }
}
