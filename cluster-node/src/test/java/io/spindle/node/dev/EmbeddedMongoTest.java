package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

class EmbeddedMongoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void documentsSurviveARestartOnTheSameFile() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            Mono.from(client.getDatabase("d").getCollection("c").insertOne(new Document("_id", "kept"))).block(TIMEOUT);
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            assertEquals(1L, Mono.from(client.getDatabase("d").getCollection("c").countDocuments()).block(TIMEOUT));
        }
    }

    @Test
    void aStoreThatH2ClosedAnswersNoCommandNotEvenPing() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            Mono.from(client.getDatabase("d").runCommand(new Document("ping", 1))).block(TIMEOUT);
            // What H2 does after an internal failure (e.g. a stack overflow while storing a page).
            server.backend().storeFile().mvStore().closeImmediately();
            Exception ping = assertThrows(Exception.class,
                    () -> Mono.from(client.getDatabase("d").runCommand(new Document("ping", 1))).block(TIMEOUT));
            assertTrue(ping.getMessage().contains("is closed"), ping.getMessage());
            assertThrows(Exception.class, () -> Mono.from(client.getDatabase("d").getCollection("c").find().first()).block(TIMEOUT));
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"));
        server.close();
        server.close();
        // The file is released: it opens again.
        EmbeddedMongo.start(dir.resolve("data.h2")).close();
    }

    @Test
    void aTakenPortReleasesTheDataFile() {
        try (EmbeddedMongo first = EmbeddedMongo.start(dir.resolve("first.h2"))) {
            Path second = dir.resolve("second.h2");
            assertThrows(RuntimeException.class, () -> EmbeddedMongo.start(second, "127.0.0.1", first.address().getPort()));
            EmbeddedMongo.start(second).close();
        }
    }

    @Test
    void concurrentIncrementsEachReturnTheirOwnValue() throws Exception {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"));
             MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> counters = client.getDatabase("d").getCollection("counters");
            List<CompletableFuture<Document>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                results.add(Mono.from(counters.findOneAndUpdate(Filters.eq("_id", "c"), Updates.inc("value", 2L),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER))).toFuture());
            }
            Set<Long> values = new HashSet<>();
            for (CompletableFuture<Document> result : results) {
                values.add(((Number) result.get().get("value")).longValue());
            }
            assertEquals(300, values.size(), "every increment returned a distinct value");
        }
    }
}
