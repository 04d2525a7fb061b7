package io.spindle.node.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import java.util.List;
import org.h2.mvstore.MVMap;

/**
 * An H2 collection that answers a query containing an {@code _id} equality plus other conditions
 * (e.g. the read model's conditional replace {@code {_id: X, revision: {$lt: r}}}) through the
 * {@code _id} index. The stock collection uses an index only when the query has exactly its keys,
 * so such a query scanned the whole collection: one scan per written view, growing with the data.
 * The full query is still matched against the candidate, so results are unchanged.
 */
final class IdLookupH2Collection extends H2Collection {
    private static final String ID = "_id";
    private static final String AND = "$and";

    IdLookupH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                         MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                         int batchSize, Document fieldSelector) {
        Object id = idEquality(query);
        if (id != null && query.size() + (query.containsKey(AND) ? 1 : 0) > 1) {
            Document byId = new Document(ID, id);
            for (Index<Object> index : getIndexes()) {
                if (index.canHandle(byId)) {
                    return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit, batchSize, fieldSelector);
                }
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The plain value the query requires {@code _id} to equal, as a top-level key or as a top-level
     * {@code $and} clause (how the driver renders {@code Filters.and}); null when there is none.
     */
    private static Object idEquality(Document query) {
        Object id = plainValue(query.get(ID));
        if (id != null) {
            return id;
        }
        if (query.get(AND) instanceof List<?> clauses) {
            for (Object clause : clauses) {
                if (clause instanceof Document document) {
                    Object clauseId = plainValue(document.get(ID));
                    if (clauseId != null && document.size() == 1) {
                        return clauseId;
                    }
                }
            }
        }
        return null;
    }

    /** Values compared by plain equality (no operators, regexes, arrays or embedded documents). */
    private static Object plainValue(Object value) {
        return value instanceof String || value instanceof Number || value instanceof ObjectId ? value : null;
    }
}
