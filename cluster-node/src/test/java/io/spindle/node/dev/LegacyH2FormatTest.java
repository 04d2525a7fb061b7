package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A data file of the stock H2 backend (what spindle dev wrote before) opens with its documents and indexes. */
class LegacyH2FormatTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<Document> EVENTS = List.of(
            new Document("_id", 1L).append("keys", List.of("job-1|1", "job-1|2")).append("at", new Date(1_700_000_000_000L))
                    .append("events", List.of(new Document("seq", 1L).append("payload", "submitted"))),
            new Document("_id", 3L).append("keys", List.of("job-2|1")).append("at", new Date(1_700_000_000_500L))
                    .append("events", List.of(new Document("seq", 1L).append("payload", "leased"))));
    private static final List<Document> CONFIGS = List.of(
            new Document("_id", "echo-java").append("version", 2), new Document("_id", "echo-python").append("version", 1));

    @TempDir
    Path dir;

    @Test
    void aFileOfTheStockBackendIsUpgradedOnceWithEveryDocumentAndIndex() {
        Path file = dir.resolve("mongo.h2");
        writeWithTheStockBackend(file);

        for (int start = 0; start < 2; start++) {
            try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
                MongoDatabase db = client.getDatabase("spindle");
                assertEquals(EVENTS, Flux.from(db.getCollection("journal").find().sort(Sorts.ascending("_id"))).collectList().block(TIMEOUT));
                assertEquals(CONFIGS, Flux.from(db.getCollection("configs").find().sort(Sorts.ascending("_id"))).collectList().block(TIMEOUT));
                assertEquals(List.of(1L), Flux.from(db.getCollection("journal").find(Filters.in("keys", List.of("job-1|2"))))
                        .map(d -> d.getLong("_id")).collectList().block(TIMEOUT));
                assertThrows(MongoWriteException.class, () -> Mono.from(db.getCollection("journal").insertOne(
                        new Document("_id", 9L).append("keys", List.of("job-2|1")))).block(TIMEOUT), "the keys index was rebuilt");
                assertThrows(MongoWriteException.class, () -> Mono.from(db.getCollection("configs").insertOne(
                        new Document("_id", "echo-java"))).block(TIMEOUT), "ids stay unique");
                assertEquals(Set.of("configs", "journal"),
                        Flux.from(db.listCollectionNames()).collect(java.util.stream.Collectors.toSet()).block(TIMEOUT));
            }
        }
        MVStore store = MVStore.open(file.toString());
        try {
            assertTrue(store.getMapNames().stream().allMatch(name -> name.startsWith("bson.") || name.startsWith("spindle.")),
                    "only the new maps are left: " + store.getMapNames());
        } finally {
            store.close();
        }
    }

    private static void writeWithTheStockBackend(Path file) {
        MongoServer server = new MongoServer(new H2Backend(file.toString()).version(ServerVersion.MONGO_5_0));
        try {
            InetSocketAddress address = server.bind();
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
                MongoDatabase db = client.getDatabase("spindle");
                Mono.from(db.getCollection("journal").createIndex(Indexes.ascending("keys"), new IndexOptions().unique(true))).block(TIMEOUT);
                Mono.from(db.getCollection("journal").insertMany(EVENTS)).block(TIMEOUT);
                Mono.from(db.getCollection("configs").insertMany(CONFIGS)).block(TIMEOUT);
            }
        } finally {
            server.shutdownNow();
        }
    }
}
