package io.spindle.node.dev;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the ids a query names, so that the store fetches those documents and matches the whole query against
 * them instead of scanning. The stock collection uses an index only when the query has exactly the index's
 * keys: the read model's guarded replace {@code {_id: X, revision: {$lt: r}}} scanned the collection. The same
 * lookup of any other field gives a {@link BsonSecondaryIndex} the values of its first key.
 */
final class IdLookup {
    private static final String AND = "$and";
    private static final String EQ = "$eq";
    private static final String IN = "$in";

    private IdLookup() {
    }

    /**
     * The values the query requires {@code idField} to be one of: a top-level condition {@code {id: v}},
     * {@code {id: {$eq: v}}} or {@code {id: {$in: [v, …]}}}, directly or as a clause of a top-level {@code $and}
     * (how the driver renders {@code Filters.and}). Empty when there is none, or when a value is not a plain
     * scalar compared by equality (an operator, document, array, regular expression or null).
     */
    static Optional<List<Object>> ids(Document query, String idField) {
        if (idField == null) {
            return Optional.empty();
        }
        Optional<List<Object>> direct = ids(query.get(idField));
        if (direct.isPresent() || !(query.get(AND) instanceof List<?> clauses)) {
            return direct;
        }
        for (Object clause : clauses) {
            if (clause instanceof Document document) {
                Optional<List<Object>> ids = ids(document.get(idField));
                if (ids.isPresent()) {
                    return ids;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<List<Object>> ids(Object condition) {
        Object value = condition instanceof Document document && document.size() == 1 && document.containsKey(EQ)
                ? document.get(EQ)
                : condition;
        if (isScalar(value)) {
            return Optional.of(List.of(value));
        }
        if (value instanceof Document document && document.size() == 1 && document.get(IN) instanceof Collection<?> in
                && in.stream().allMatch(IdLookup::isScalar)) {
            return Optional.of(List.copyOf(in));
        }
        return Optional.empty();
    }

    /** True for a value that a query compares by plain equality, so that its key identifies the documents. */
    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof ObjectId
                || value instanceof UUID || value instanceof Instant || value instanceof Boolean;
    }
}
