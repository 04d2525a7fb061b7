package io.spindle.node.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

/** The stock H2 database, opening its collections as {@link IdLookupH2Collection}s. */
final class IdLookupH2Database extends H2Database {
    /** The store while a database is being constructed: the stock constructor already opens collections. */
    private static final ThreadLocal<MVStore> CONSTRUCTING = new ThreadLocal<>();

    private final MVStore store;

    private IdLookupH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        super(databaseName, store, cursorRegistry);
        this.store = store;
    }

    static IdLookupH2Database open(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        CONSTRUCTING.set(store);
        try {
            return new IdLookupH2Database(databaseName, store, cursorRegistry);
        } finally {
            CONSTRUCTING.remove();
        }
    }

    /** Same maps as the stock backend ("databases.<ns>", "meta.<ns>"), so existing files open unchanged. */
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String namespace = getFullCollectionNamespace(collectionName);
        MVStore store = this.store != null ? this.store : CONSTRUCTING.get();
        return new IdLookupH2Collection(this, collectionName, options,
                store.openMap("databases." + namespace), store.openMap("meta." + namespace), cursorRegistry);
    }
}
