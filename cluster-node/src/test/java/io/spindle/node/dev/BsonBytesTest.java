package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BsonBytesTest {

    @Test
    void aDocumentComesBackWithItsTypesAndFieldOrder() {
        Document document = new Document("_id", new ObjectId())
                .append("int", 7)
                .append("long", 7L)
                .append("double", 7.5)
                .append("text", "é|ü|\u4e2d")
                .append("at", Instant.ofEpochMilli(1_700_000_000_123L))
                .append("bytes", new BinData(new byte[] {0, (byte) 0xff, 42}))
                .append("uuid", UUID.randomUUID())
                .append("none", null)
                .append("nested", new Document("list", List.of(1, "two", new Document("three", 3L))));

        Document decoded = BsonBytes.decode(BsonBytes.encode(document));

        assertEquals(document, decoded);
        assertEquals(List.copyOf(document.keySet()), List.copyOf(decoded.keySet()));
        assertEquals(Long.class, decoded.get("long").getClass());
        assertEquals(Integer.class, decoded.get("int").getClass());
    }

    @Test
    void numbersThatCompareEqualHaveOneKey() {
        assertEquals(BsonBytes.key(7), BsonBytes.key(7L));
        assertEquals(BsonBytes.key(7), BsonBytes.key(7.0));
        assertEquals(BsonBytes.key(0.0), BsonBytes.key(-0.0));
        assertNotEquals(BsonBytes.key(7), BsonBytes.key("7"));
        assertNotEquals(BsonBytes.key(7), BsonBytes.key(8));
    }

    @Test
    void keysOfNumbersSortAsTheNumbers() {
        List<Object> ascending = List.of(Double.NEGATIVE_INFINITY, -1e300, -70_000L, -256, -1.5, -1, 0, 0.25, 1, 2L, 255,
                256, 70_000.0, 1L << 40, 1e300, Double.POSITIVE_INFINITY);
        List<String> keys = ascending.stream().map(BsonBytes::key).toList();

        assertEquals(keys, keys.stream().sorted().toList());
        assertEquals(keys, keys.stream().map(key -> BsonBytes.key(BsonBytes.values(key))).toList(), "a key's values give it back");
        List<Long> beyondADoublesPrecision = List.of(-(1L << 53) - 1, (1L << 53) + 1, Long.MAX_VALUE);
        assertEquals(beyondADoublesPrecision.stream().map(BsonBytes::normalized).toList(),
                beyondADoublesPrecision.stream().map(value -> BsonBytes.values(BsonBytes.key(value)).get(0)).toList());
    }

    @Test
    void aKeyGivesBackTheNormalizedValuesItWasMadeOf() {
        KeyValue values = new KeyValue("job-1|3", 4, new Document("a", 1L), null).normalized();

        assertEquals(values, BsonBytes.values(BsonBytes.key(values)));
    }
}
