package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The {@code _id_} index of a collection, kept by the collection's document map, whose keys are the ids' keys:
 * a map of its own would map each key to itself and cost a second write per insert. It checks that ids are
 * unique and gives a document's position.
 */
final class IdIndex extends Index<String> {
    private static final String ID = "_id";

    private final MVMap<String, byte[]> documents;

    private IdIndex(MVMap<String, byte[]> documents, String name, List<IndexKey> keys) {
        super(name, keys, false);
        this.documents = documents;
    }

    /** The index for {@code keys} if they are the id alone, else null. */
    static IdIndex forKeys(MVStore store, String namespace, String name, List<IndexKey> keys) {
        return keys.size() == 1 && keys.get(0).getKey().equals(ID)
                ? new IdIndex(StoreMaps.documents(store, namespace), name, keys)
                : null;
    }

    @Override
    public String getPosition(Document document) {
        String key = BsonCollection.keyOf(document, ID);
        return documents.containsKey(key) ? key : null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<String> collection) {
        if (getPosition(document) != null) {
            throw new DuplicateKeyError(this, collection, getKeys(), new KeyValue(Utils.getSubdocumentValue(document, ID)));
        }
    }

    /** Storing the document indexes it. */
    @Override
    public void add(Document document, String position, MongoCollection<String> collection) {
    }

    /** Removing the document (which the collection does next) unindexes it. */
    @Override
    public String remove(Document document) {
        return getPosition(document);
    }

    /** Queries that name ids never get here ({@link BsonCollection} fetches those documents); others scan. */
    @Override
    public boolean canHandle(Document query) {
        return false;
    }

    @Override
    public Iterable<String> getPositions(Document query) {
        throw new UnsupportedOperationException("the id index answers no queries: " + query);
    }

    /** An update never changes an id (the server refuses it before asking the indexes). */
    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<String> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, String position, MongoCollection<String> collection) {
    }

    @Override
    public long getCount() {
        return documents.sizeAsLong();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }

    @Override
    public boolean isUnique() {
        return true;
    }

    @Override
    public void drop() {
    }
}
