package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdEqualityTest {

    @Test
    void findsATopLevelEqualityBesideOtherConditions() {
        Document query = new Document("_id", "job-1").append("revision", new Document("$lt", 3));

        assertEquals(Optional.of("job-1"), IdEquality.in(query, "_id"));
    }

    @Test
    void findsAnEqualityWrittenWithEq() {
        assertEquals(Optional.of(42L), IdEquality.in(new Document("_id", new Document("$eq", 42L)), "_id"));
    }

    @Test
    void findsAnEqualityInsideATopLevelAnd() {
        Document query = new Document("$and", List.of(
                new Document("revision", new Document("$lt", 3)), new Document("_id", "job-1")));

        assertEquals(Optional.of("job-1"), IdEquality.in(query, "_id"));
    }

    @Test
    void usesTheCollectionsIdField() {
        assertEquals(Optional.of("d.c"), IdEquality.in(new Document("name", "d.c"), "name"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", "x"), "name"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", "x"), null));
    }

    @Test
    void ignoresConditionsThatAreNotAPlainEquality() {
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", new Document("$lt", 3)), "_id"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", new Document("$in", List.of(1, 2))), "_id"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", new Document("a", 1)), "_id"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("_id", null), "_id"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("$or", List.of(new Document("_id", 1))), "_id"));
        assertEquals(Optional.empty(), IdEquality.in(new Document("revision", 1), "_id"));
    }
}
