package io.spindle.node.readmodel;

import static io.spindle.node.readmodel.ReadModelFixtures.T0;
import static io.spindle.node.readmodel.ReadModelFixtures.await;
import static io.spindle.node.readmodel.ReadModelFixtures.config;
import static io.spindle.node.readmodel.ReadModelFixtures.failureCode;
import static io.spindle.node.readmodel.ReadModelFixtures.fullJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.store.JobQuery;
import io.spindle.node.testsupport.MongoServerExtension;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What is particular to the MongoDB read store: document shape, indexes, partial writes, outages. */
class MongoReadStoreTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private static MongoClient client;
    private MongoDatabase database;
    private MongoReadStore store;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(MONGO.uri());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @BeforeEach
    void freshDatabase() {
        database = client.getDatabase(MongoServerExtension.freshDatabaseName());
        store = await(MongoReadStore.start(database));
    }

    @Test
    void jobDocumentCarriesQueryableFields() {
        Job job = fullJob("j1");
        await(store.putJobs(List.of(job)));
        BsonDocument doc = Mono.from(database.getCollection("jobs", BsonDocument.class).find().first()).block();
        assertEquals(new BsonString("j1"), doc.get("_id"));
        assertEquals(new BsonString("succeeded"), doc.get("status"));
        assertEquals(new BsonString("image.generate"), doc.get("type"));
        assertEquals(new BsonString("sdxl-base"), doc.get("config_id"));
        assertEquals(new BsonInt64(job.revision()), doc.get("revision"));
        assertEquals(new BsonInt64(T0.getEpochSecond() * 1_000_000_000L + T0.getNano()), doc.get("created_ns"));
        assertEquals(new BsonString(T0.toString()), doc.get("created_at"), "instants stay readable ISO-8601");
    }

    @Test
    void startCreatesTheIndexesQueriesUse() {
        List<String> configVersionIndexes = Flux.from(database.getCollection("config_versions").listIndexes())
                .map(i -> i.toJson()).collectList().block();
        assertTrue(configVersionIndexes.stream().anyMatch(i -> i.contains("\"unique\": true") && i.contains("\"version\"")),
                configVersionIndexes.toString());
        await(store.createIndexes()); // idempotent
    }

    @Test
    void versionsIncludeTheLatestEvenWhenItsHistoryWriteWasLost() {
        ModelConfig v1 = await(store.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = v1.nextVersion(v1, T0.plusSeconds(1));
        // As if the node died between writing `configs` and `config_versions`.
        Mono.from(database.getCollection("configs", BsonDocument.class)
                .replaceOne(new BsonDocument("_id", new BsonString("sdxl")), ViewDocuments.config(v2))).block();
        assertEquals(List.of(v1, v2), await(store.configVersions("sdxl")));
        assertEquals(ErrorCode.INVALID_STATE, failureCode(store.saveConfigVersion(v2)));
    }

    @Test
    void unreachableDatabaseIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(200, TimeUnit.MILLISECONDS))
                .build();
        try (MongoClient down = MongoClients.create(settings)) {
            MongoReadStore unreachable = new MongoReadStore(down.getDatabase("spindle"));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.job("j1")));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.putJobs(List.of(fullJob("j1")))));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.queryJobs(JobQuery.all())));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.createConfig(config("x", 1, T0))));
        }
    }
}
