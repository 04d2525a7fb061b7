package io.spindle.node.dev;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;

/**
 * The integer range a query confines one field to, as far as its conditions on that field tell: {@code $eq},
 * {@code $gt}, {@code $gte}, {@code $lt}, {@code $lte} or a plain value, combined through {@code $and} (intersected)
 * and {@code $or} (their hull). Any other condition leaves the range whole, so a document outside the range never
 * matches the query, while one inside may or may not.
 *
 * <p>Example: the read model's next page, {@code {status: s, $or: [{created_ns: {$lt: t}}, {created_ns: t, _id:
 * {$lt: id}}]}}, confines {@code created_ns} to {@code [MIN, t]}.
 */
record SortBounds(long from, long to) {
    static final SortBounds ALL = new SortBounds(Long.MIN_VALUE, Long.MAX_VALUE);
    private static final SortBounds NONE = new SortBounds(1, 0);

    static SortBounds of(Document query, String field) {
        SortBounds bounds = ALL;
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String key = condition.getKey();
            Object value = condition.getValue();
            if (key.equals("$and") && value instanceof List<?> clauses) {
                for (Object clause : clauses) {
                    bounds = bounds.intersect(clause instanceof Document d ? of(d, field) : ALL);
                }
            } else if (key.equals("$or") && value instanceof List<?> clauses && !clauses.isEmpty()) {
                SortBounds hull = NONE;
                for (Object clause : clauses) {
                    hull = hull.hull(clause instanceof Document d ? of(d, field) : ALL);
                }
                bounds = bounds.intersect(hull);
            } else if (key.equals(field)) {
                bounds = bounds.intersect(ofCondition(value));
            }
        }
        return bounds;
    }

    boolean isEmpty() {
        return from > to;
    }

    private static SortBounds ofCondition(Object condition) {
        if (isInteger(condition)) {
            long value = ((Number) condition).longValue();
            return new SortBounds(value, value);
        }
        if (!(condition instanceof Document operators)) {
            return ALL;
        }
        SortBounds bounds = ALL;
        for (Map.Entry<String, Object> operator : operators.entrySet()) {
            if (!isInteger(operator.getValue())) {
                continue;
            }
            long value = ((Number) operator.getValue()).longValue();
            bounds = bounds.intersect(switch (operator.getKey()) {
                case "$eq" -> new SortBounds(value, value);
                case "$gt" -> value == Long.MAX_VALUE ? NONE : new SortBounds(value + 1, Long.MAX_VALUE);
                case "$gte" -> new SortBounds(value, Long.MAX_VALUE);
                case "$lt" -> value == Long.MIN_VALUE ? NONE : new SortBounds(Long.MIN_VALUE, value - 1);
                case "$lte" -> new SortBounds(Long.MIN_VALUE, value);
                default -> ALL;
            });
        }
        return bounds;
    }

    private static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Integer;
    }

    private SortBounds intersect(SortBounds other) {
        return new SortBounds(Math.max(from, other.from), Math.min(to, other.to));
    }

    private SortBounds hull(SortBounds other) {
        if (isEmpty()) {
            return other;
        }
        return other.isEmpty() ? this : new SortBounds(Math.min(from, other.from), Math.max(to, other.to));
    }
}
