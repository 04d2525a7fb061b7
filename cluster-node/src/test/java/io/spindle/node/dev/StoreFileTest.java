package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
