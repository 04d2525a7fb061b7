package io.spindle.node.dev;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map.Entry;
import org.h2.mvstore.MVMap;

/**
 * A unique index of the embedded store: an MVStore map from the {@link BsonBytes#key key} of the indexed values to
 * the document's key. The stock H2 index keyed its map by Java-serialized values and serialized both sides of
 * every comparison of a lookup; string keys compare without that.
 */
final class BsonUniqueIndex extends AbstractUniqueIndex<String> {
    private final MVMap<String, String> positions;

    BsonUniqueIndex(MVMap<String, String> positions, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.positions = positions;
    }

    @Override
    protected String removeDocument(KeyValue keyValue) {
        return positions.remove(BsonBytes.key(keyValue));
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, String position) {
        return positions.putIfAbsent(BsonBytes.key(keyValue), position) == null;
    }

    /** Only a regular-expression query walks the index; it needs the values back. */
    @Override
    protected Iterable<Entry<KeyValue, String>> getIterable() {
        return () -> positions.entrySet().stream()
                .<Entry<KeyValue, String>>map(e -> new SimpleImmutableEntry<>(BsonBytes.values(e.getKey()), e.getValue()))
                .iterator();
    }

    @Override
    protected String getPosition(KeyValue keyValue) {
        return positions.get(BsonBytes.key(keyValue));
    }

    @Override
    public long getCount() {
        return positions.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return positions.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
