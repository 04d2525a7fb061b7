package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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

class StoreFileTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /**
     * A commit taken while an insert ran may hold its document without its index entry; the process is then
     * killed. The next start rebuilds the indexes, so the key is taken.
     */
    @Test
    void afterAnUncleanShutdownTheIndexesAreRebuiltFromTheDocuments() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> journal = journal(client);
            Mono.from(journal.createIndex(Indexes.ascending("keys"), new IndexOptions().unique(true))).block(TIMEOUT);
            Mono.from(journal.insertOne(new Document("_id", 1L).append("keys", List.of("p|1")))).block(TIMEOUT);
        }
        StoreFile crashed = StoreFile.open(file);
        de.bwaldvogel.mongo.bson.Document unindexed = new de.bwaldvogel.mongo.bson.Document("_id", 2L)
                .append("keys", List.of("p|2"));
        StoreMaps.documents(crashed.mvStore(), "d.journal").put(BsonBytes.key(2L), BsonBytes.encode(unindexed));
        crashed.mvStore().commit();
        crashed.mvStore().closeImmediately();

        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> journal = journal(client);
            assertThrows(MongoWriteException.class, () -> Mono.from(journal.insertOne(
                    new Document("_id", 3L).append("keys", List.of("p|2")))).block(TIMEOUT));
            assertEquals(List.of(1L, 2L), Flux.from(journal.find(Filters.in("keys", List.of("p|1", "p|2"))))
                    .map(d -> d.getLong("_id")).sort().collectList().block(TIMEOUT));
        }
    }

    /**
     * Writes acknowledged after the last commit are in the log only (checkpoints an hour apart, H2's own commits off);
     * the process then dies without a commit. The next start replays them, in a collection that existed and in one
     * the crashed process created, and rebuilds the indexes with them. A clean close leaves no log behind.
     */
    @Test
    void writesOnlyInTheLogAreReplayedAfterACrash() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> journal = journal(client);
            Mono.from(journal.createIndex(Indexes.ascending("keys"), new IndexOptions().unique(true))).block(TIMEOUT);
            Mono.from(journal.insertMany(List.of(new Document("_id", 1L).append("keys", List.of("p|1")),
                    new Document("_id", 2L).append("keys", List.of("p|2"))))).block(TIMEOUT);
        }
        assertEquals(List.of(), WriteAheadLog.segments(file), "a clean close leaves no log");

        try (EmbeddedMongo crashing = EmbeddedMongo.start(file, Duration.ofHours(1));
             MongoClient client = MongoClients.create(crashing.uri())) {
            crashing.backend().storeFile().mvStore().setAutoCommitDelay(0);
            // Creating the collection's map commits; nothing after it is committed.
            Mono.from(client.getDatabase("d").getCollection("fresh").insertOne(new Document("_id", "f"))).block(TIMEOUT);
            MongoCollection<Document> journal = journal(client);
            Mono.from(journal.insertOne(new Document("_id", 3L).append("keys", List.of("p|3")))).block(TIMEOUT);
            Mono.from(journal.deleteOne(Filters.eq("_id", 1L))).block(TIMEOUT);
            // Dies; closing a store that is closed commits nothing.
            crashing.backend().storeFile().mvStore().closeImmediately();
        }
        assertFalse(WriteAheadLog.segments(file).isEmpty(), "the crash left the log");

        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> journal = journal(client);
            assertEquals(List.of(2L, 3L), Flux.from(journal.find()).map(d -> d.getLong("_id")).sort().collectList().block(TIMEOUT));
            assertThrows(MongoWriteException.class, () -> Mono.from(journal.insertOne(
                    new Document("_id", 4L).append("keys", List.of("p|3")))).block(TIMEOUT), "the index holds the replayed key");
            Mono.from(journal.insertOne(new Document("_id", 5L).append("keys", List.of("p|1")))).block(TIMEOUT);
            assertEquals(List.of("f"), Flux.from(client.getDatabase("d").getCollection("fresh").find())
                    .map(d -> d.getString("_id")).collectList().block(TIMEOUT));
        }
        assertEquals(List.of(), WriteAheadLog.segments(file));
    }

    @Test
    void aFileHeldByAnotherServerDoesNotOpen() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo first = EmbeddedMongo.start(file)) {
            assertThrows(RuntimeException.class, () -> EmbeddedMongo.start(file));
        }
    }

    private static MongoCollection<Document> journal(MongoClient client) {
        return client.getDatabase("d").getCollection("journal");
    }
}
