package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.util.List;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * A database of the embedded store: its collections and indexes are maps of one MVStore (see {@link StoreMaps});
 * dropping or renaming them drops or renames their maps. A non-unique index answers queries that fix its first key
 * ({@link BsonSecondaryIndex}); the server's own default keeps none, so such queries scanned the collection.
 */
final class BsonDatabase extends AbstractSynchronizedMongoDatabase<String> {
    /** Suffix of a secondary index's map whose entries' keys are ordered by its keys' values ({@link BsonSecondaryIndex}). */
    static final String SORTED_FORMAT = "@sorted";

    private final StoreFile file;
    private final MVStore store;

    BsonDatabase(String databaseName, StoreFile file, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
        this.file = file;
        this.store = file.mvStore();
        initializeNamespacesAndIndexes();
    }

    @Override
    protected MongoCollection<String> openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new BsonCollection(this, collectionName, options,
                file.documents(getFullCollectionNamespace(collectionName)), cursorRegistry);
    }

    @Override
    protected Index<String> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                    boolean sparse) {
        String namespace = getFullCollectionNamespace(collectionName);
        IdIndex byId = IdIndex.forKeys(store, namespace, indexName, keys);
        return byId != null ? byId : new BsonUniqueIndex(StoreMaps.index(store, namespace, indexName), indexName, keys, sparse);
    }

    @Override
    protected Index<String> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                       boolean sparse) {
        String namespace = getFullCollectionNamespace(collectionName);
        // The entries of a map of the format before (named without the suffix) cannot be read in order:
        // that map goes, and the new one, empty, is filled from the documents as the collection adds the index.
        StoreMaps.remove(store, StoreMaps.indexName(namespace, indexName));
        return new BsonSecondaryIndex(StoreMaps.index(store, namespace, indexName + SORTED_FORMAT), indexName, keys, sparse);
    }

    @Override
    protected void dropIndex(MongoCollection<String> collection, String indexName) {
        super.dropIndex(collection, indexName);
        StoreMaps.remove(store, StoreMaps.indexName(collection.getFullName(), indexName));
        StoreMaps.remove(store, StoreMaps.indexName(collection.getFullName(), indexName + SORTED_FORMAT));
    }

    @Override
    public void dropCollection(String collectionName, Oplog oplog) {
        super.dropCollection(collectionName, oplog);
        StoreMaps.remove(store, StoreMaps.documentsName(getFullCollectionNamespace(collectionName)));
    }

    @Override
    public void drop(Oplog oplog) {
        super.drop(oplog);
        StoreMaps.ofDatabase(store, databaseName).forEach(name -> StoreMaps.remove(store, name));
    }

    @Override
    public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
        String namespace = collection.getFullName();
        super.moveCollection(oldDatabase, collection, newCollectionName);
        StoreMaps.rename(store, namespace, getFullCollectionNamespace(newCollectionName));
    }

    @Override
    protected long getStorageSize() {
        FileStore<?> fileStore = store.getFileStore();
        return fileStore == null ? 0 : fileStore.size();
    }

    @Override
    protected long getFileSize() {
        return getStorageSize();
    }
}
