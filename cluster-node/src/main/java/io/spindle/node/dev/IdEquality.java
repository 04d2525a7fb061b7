package io.spindle.node.dev;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the value a query requires the id field to equal, so that the store can fetch that one document and
 * match the whole query against it. The stock collection uses an index only when the query has exactly the
 * index's keys: the read model's guarded replace {@code {_id: X, revision: {$lt: r}}} scanned the collection.
 */
final class IdEquality {
    private static final String AND = "$and";
    private static final String EQ = "$eq";

    private IdEquality() {
    }

    /**
     * The value of {@code idField} in a top-level equality ({@code {id: v}} or {@code {id: {$eq: v}}}), directly
     * or as a clause of a top-level {@code $and} (how the driver renders {@code Filters.and}); empty when there is
     * none, or when its value is not a plain scalar compared by equality (operators, documents, arrays, null).
     */
    static Optional<Object> in(Document query, String idField) {
        if (idField == null) {
            return Optional.empty();
        }
        Optional<Object> direct = plainValue(query.get(idField));
        if (direct.isPresent() || !(query.get(AND) instanceof List<?> clauses)) {
            return direct;
        }
        for (Object clause : clauses) {
            if (clause instanceof Document document) {
                Optional<Object> value = plainValue(document.get(idField));
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    /** True for a value that a query compares by plain equality and whose key identifies it. */
    static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof ObjectId
                || value instanceof UUID || value instanceof Instant || value instanceof Boolean;
    }

    private static Optional<Object> plainValue(Object condition) {
        Object value = condition instanceof Document document && document.size() == 1 && document.containsKey(EQ)
                ? document.get(EQ)
                : condition;
        return isScalar(value) ? Optional.of(value) : Optional.empty();
    }
}
