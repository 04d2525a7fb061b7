package io.spindle.node.dev;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.bson.Document;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A page of a sorted query read in the sort's order from a {@link BsonSecondaryIndex}, instead of every document
 * the index names or the whole collection: when the query wants at most {@code skip + limit} documents sorted
 * first by an integer key, and an index is in that key's order (its second key, with the query fixing its first
 * to one value; or else its first key), the index's entries are read in that order (within the range the query
 * allows, {@link SortBounds}) and matched one by one, until enough matched and the next entry's sort value differs
 * from the last match's. The server then sorts, skips and limits those candidates
 * as usual: every document not read sorts after all of them (ties of the last value included), so the page is the
 * one a full scan gives.
 *
 * <p>Example: {@code find({status: "succeeded", config_id: c}).sort({created_ns: -1, _id: -1}).limit(1001)} on the
 * read model's {@code (status, created_ns desc, _id desc)} index reads the newest succeeded views until 1,001 of
 * config {@code c} matched, not every succeeded view; {@code find({}).sort({created_ns: -1, _id: -1}).limit(51)} on
 * its {@code (created_ns desc, _id desc)} index reads the 51 newest views, not the whole collection.
 */
final class OrderedIndexScan {
    private OrderedIndexScan() {
    }

    /** The candidates of the page, or empty when no index can serve the query this way. */
    static Optional<Stream<Document>> candidates(List<Index<String>> indexes, Document query, Document orderBy, int skip, int limit,
                                                 Function<String, Document> read, Predicate<Document> matches) {
        if (limit == 0 || orderBy == null || orderBy.isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<String, Object> firstSort = orderBy.entrySet().iterator().next();
        if (!(firstSort.getValue() instanceof Number direction)) {
            return Optional.empty();
        }
        long wanted = (long) skip + Math.abs(limit);
        boolean descending = direction.intValue() < 0;
        SortBounds bounds = SortBounds.of(query, firstSort.getKey());
        // Best: an index whose first key the query fixes to one value, ordered by its second key.
        for (Index<String> index : indexes) {
            if (index instanceof BsonSecondaryIndex sorted && firstSort.getKey().equals(sorted.sortKey())) {
                Optional<List<Object>> values = IdLookup.ids(query, sorted.firstKey());
                if (values.isPresent() && values.get().size() == 1) {
                    Optional<Iterator<BsonSecondaryIndex.Entry>> walk = sorted.walk(values.get().get(0), descending, bounds.from(), bounds.to());
                    if (walk.isPresent()) {
                        return Optional.of(page(walk.get(), wanted, read, matches));
                    }
                }
            }
        }
        // Else an index whose first key is the sort key: every entry in its order, within the query's range of it.
        for (Index<String> index : indexes) {
            if (index instanceof BsonSecondaryIndex sorted && firstSort.getKey().equals(sorted.firstKey())) {
                Optional<Iterator<BsonSecondaryIndex.Entry>> walk = sorted.walk(null, descending, bounds.from(), bounds.to());
                if (walk.isPresent()) {
                    return Optional.of(page(walk.get(), wanted, read, matches));
                }
            }
        }
        return Optional.empty();
    }

    private static Stream<Document> page(Iterator<BsonSecondaryIndex.Entry> walk, long wanted, Function<String, Document> read,
                                         Predicate<Document> matches) {
        Iterator<Document> page = new Page(walk, wanted, read, matches);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(page, Spliterator.ORDERED), false);
    }

    /** The matching documents of a walk, until {@code wanted} matched and the sort value moves on. */
    private static final class Page extends Lookahead<Document> {
        private final Iterator<BsonSecondaryIndex.Entry> entries;
        private final long wanted;
        private final Function<String, Document> reader;
        private final Predicate<Document> matches;
        /** The documents read: one whose key holds an array has an entry per element, and is read once. */
        private final Set<String> seen = new HashSet<>();
        private long matched;
        private long lastMatchedValue;

        Page(Iterator<BsonSecondaryIndex.Entry> entries, long wanted, Function<String, Document> reader, Predicate<Document> matches) {
            this.entries = entries;
            this.wanted = wanted;
            this.reader = reader;
            this.matches = matches;
        }

        @Override
        protected Document advance() {
            while (entries.hasNext()) {
                BsonSecondaryIndex.Entry entry = entries.next();
                if (matched >= wanted && entry.sortValue() != lastMatchedValue) {
                    return null;
                }
                if (!seen.add(entry.position())) {
                    continue;
                }
                Document document = reader.apply(entry.position());
                if (document != null && matches.test(document)) {
                    matched++;
                    lastMatchedValue = entry.sortValue();
                    return document;
                }
            }
            return null;
        }
    }
}
