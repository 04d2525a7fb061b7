package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortBoundsTest {
    private static final String KEY = "created_ns";

    @Test
    void operatorsOnTheKeyNarrowTheRangeAndOtherFieldsLeaveItWhole() {
        assertEquals(new SortBounds(5, 5), SortBounds.of(new Document(KEY, 5L), KEY));
        assertEquals(new SortBounds(6, 9), SortBounds.of(new Document(KEY, new Document("$gt", 5L).append("$lte", 9)), KEY));
        assertEquals(new SortBounds(Long.MIN_VALUE, 6), SortBounds.of(new Document(KEY, new Document("$lt", 7L)), KEY));
        assertEquals(new SortBounds(5, Long.MAX_VALUE), SortBounds.of(new Document(KEY, new Document("$gte", 5L)), KEY));
        assertEquals(SortBounds.ALL, SortBounds.of(new Document("status", "queued").append("other", new Document("$lt", 3L)), KEY));
        assertEquals(SortBounds.ALL, SortBounds.of(new Document(KEY, new Document("$ne", 3L).append("$gt", 2.5)), KEY),
                "conditions it cannot bound by an integer leave the range whole");
        assertTrue(SortBounds.of(new Document(KEY, new Document("$gt", Long.MAX_VALUE)), KEY).isEmpty());
        assertTrue(SortBounds.of(new Document(KEY, new Document("$lt", Long.MIN_VALUE)), KEY).isEmpty());
    }

    @Test
    void andIntersectsAndOrTakesTheHull() {
        Document and = new Document("$and", List.of(new Document(KEY, new Document("$gte", 3L)), new Document(KEY, new Document("$lt", 10L))));
        assertEquals(new SortBounds(3, 9), SortBounds.of(and, KEY));
        // The read model's next page after (36, "j36"): created < 36, or created = 36 and a smaller id.
        Document next = new Document("status", "queued").append("$or", List.of(new Document(KEY, new Document("$lt", 36L)),
                new Document("$and", List.of(new Document(KEY, 36L), new Document("_id", new Document("$lt", "j36"))))));
        assertEquals(new SortBounds(Long.MIN_VALUE, 36), SortBounds.of(next, KEY));
        Document unbounded = new Document("$or", List.of(new Document(KEY, 1L), new Document("status", "queued")));
        assertEquals(SortBounds.ALL, SortBounds.of(unbounded, KEY), "a branch that does not bound the key leaves the range whole");
        assertEquals(SortBounds.ALL, SortBounds.of(new Document("$or", new ArrayList<>()), KEY));
    }

    @Test
    void sortableLongsOrderAsTheirNumbers() {
        long[] values = {Long.MIN_VALUE, -1_000_000_000_000L, -1, 0, 1, 255, 256, 1_733_400_000_000_000_000L, Long.MAX_VALUE};
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], SortableLong.decode(SortableLong.encode(values[i])));
            assertEquals(SortableLong.LENGTH, SortableLong.encode(values[i]).length());
            if (i > 0) {
                assertTrue(SortableLong.encode(values[i - 1]).compareTo(SortableLong.encode(values[i])) < 0, values[i - 1] + " < " + values[i]);
            }
        }
    }
}
