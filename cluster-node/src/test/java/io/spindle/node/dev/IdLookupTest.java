package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Queries that name their ids (plus other conditions) are answered from those documents only. */
class IdLookupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    @TempDir
    Path dir;

    @Test
    void theGuardedReplaceOfTheReadModelMatchesExactly() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> views = views(client);
            block(views.insertMany(List.of(view("a", 3), view("b", 1))));

            // Newer revision: replaced. Older one: no match, so the upsert collides with the stored _id.
            block(views.replaceOne(Filters.and(Filters.eq("_id", "a"), Filters.lt("revision", 4)), view("a", 4), UPSERT));
            assertThrows(MongoWriteException.class, () -> block(views.replaceOne(
                    Filters.and(Filters.eq("_id", "b"), Filters.lt("revision", 0)), view("b", 0), UPSERT)));
            // A new id: inserted.
            block(views.replaceOne(Filters.and(Filters.eq("_id", "c"), Filters.lt("revision", 1)), view("c", 1), UPSERT));

            assertEquals(4, block(views.find(Filters.eq("_id", "a")).first()).getInteger("revision"));
            assertEquals(1, block(views.find(Filters.eq("_id", "b")).first()).getInteger("revision"));
            assertEquals(1, block(views.find(Filters.eq("_id", "c")).first()).getInteger("revision"));
            assertEquals(0L, block(views.countDocuments(new Document("_id", "a").append("revision", 3))));
            assertEquals(1L, block(views.countDocuments(new Document("_id", "b").append("revision", 1))));
        }
    }

    @Test
    void idsOfEqualNumbersFindTheSameDocument() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> journal = client.getDatabase("d").getCollection("journal");
            block(journal.insertOne(new Document("_id", 7L).append("v", "seven")));

            assertEquals("seven", block(journal.find(Filters.eq("_id", 7)).first()).getString("v"));
            assertEquals("seven", block(journal.find(Filters.eq("_id", 7.0)).first()).getString("v"));
            assertEquals(List.of(7L), Flux.from(journal.find(Filters.in("_id", List.of(5, 7, 9))))
                    .map(d -> d.get("_id")).collectList().block(TIMEOUT));
            assertThrows(MongoWriteException.class, () -> block(journal.insertOne(new Document("_id", 7))));
        }
    }

    /**
     * A document that cannot be decoded sits beside the queried ones: a query that scanned the collection
     * fails on it, one answered from the ids it names never reads it.
     */
    @Test
    void aQueryNamingItsIdsReadsNoOtherDocument() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            block(views(client).insertMany(List.of(view("a", 3), view("b", 1))));
        }
        try (StoreFile store = StoreFile.open(file)) {
            StoreMaps.documents(store.mvStore(), "d.views").put(BsonBytes.key("unreadable"), new byte[] {1, 2, 3});
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> views = views(client);
            assertThrows(MongoException.class, () -> Flux.from(views.find(Filters.lt("revision", 10))).collectList().block(TIMEOUT),
                    "a scan reads the unreadable document");

            block(views.replaceOne(Filters.and(Filters.eq("_id", "a"), Filters.lt("revision", 4)), view("a", 4), UPSERT));
            assertEquals(4, block(views.find(Filters.and(Filters.eq("_id", "a"), Filters.gt("revision", 0))).first())
                    .getInteger("revision"));
            assertEquals(1L, Flux.from(views.find(Filters.and(Filters.eq("_id", "b"), Filters.eq("revision", 1))))
                    .count().block(TIMEOUT));
            assertEquals(List.of("a"), Flux.from(views.find(Filters.and(Filters.in("_id", List.of("a", "b", "z")),
                    Filters.gt("revision", 3)))).map(d -> d.getString("_id")).collectList().block(TIMEOUT));
        }
    }

    private static MongoCollection<Document> views(MongoClient client) {
        return client.getDatabase("d").getCollection("views");
    }

    private static Document view(String id, int revision) {
        return new Document("_id", id).append("revision", revision);
    }

    private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
        return Mono.from(publisher).block(TIMEOUT);
    }
}
