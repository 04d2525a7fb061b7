package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which queries name their ids ({@link IdLookup}), so that the store fetches those documents only. */
class IdLookupConditionTest {

    @Test
    void aTopLevelEqualityBesideOtherConditions() {
        Document query = new Document("_id", "job-1").append("revision", new Document("$lt", 3));

        assertEquals(Optional.of(List.of("job-1")), IdLookup.ids(query, "_id"));
    }

    @Test
    void anEqualityWrittenWithEq() {
        assertEquals(Optional.of(List.of(42L)), IdLookup.ids(new Document("_id", new Document("$eq", 42L)), "_id"));
    }

    @Test
    void anInListOfPlainValues() {
        assertEquals(Optional.of(List.of(1L, 2, "x")),
                IdLookup.ids(new Document("_id", new Document("$in", List.of(1L, 2, "x"))), "_id"));
    }

    @Test
    void aConditionInsideATopLevelAnd() {
        Document query = new Document("$and", List.of(
                new Document("revision", new Document("$lt", 3)), new Document("_id", "job-1")));

        assertEquals(Optional.of(List.of("job-1")), IdLookup.ids(query, "_id"));
    }

    @Test
    void theCollectionsIdField() {
        assertEquals(Optional.of(List.of("d.c")), IdLookup.ids(new Document("name", "d.c"), "name"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", "x"), "name"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", "x"), null));
    }

    @Test
    void notConditionsThatMatchOtherwiseThanByEquality() {
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", new Document("$lt", 3)), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", new Document("a", 1)), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", null), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("_id", new Document("$in", Arrays.asList(1, null))), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(
                new Document("_id", new Document("$in", List.of(new BsonRegularExpression("^a", "")))), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("$or", List.of(new Document("_id", 1))), "_id"));
        assertEquals(Optional.empty(), IdLookup.ids(new Document("revision", 1), "_id"));
    }
}
