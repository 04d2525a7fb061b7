package io.spindle.node.registry;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.config;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.node.testsupport.MongoServerExtension;
import io.spindle.node.testsupport.UnreachableMongo;
import java.util.List;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What is particular to the MongoDB config registry: its two collections, their shape and index, outages. */
class MongoConfigRegistryTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private MongoDatabase database;
    private MongoConfigRegistry registry;

    @BeforeEach
    void freshDatabase() {
        database = MONGO.freshDatabase();
        registry = await(MongoConfigRegistry.start(database));
    }

    @Test
    void startCreatesTheUniqueVersionIndex() {
        List<String> configVersionIndexes = Flux.from(database.getCollection("config_versions").listIndexes())
                .map(i -> i.toJson()).collectList().block();
        assertTrue(configVersionIndexes.stream().anyMatch(i -> i.contains("\"unique\": true") && i.contains("\"version\"")),
                configVersionIndexes.toString());
        await(registry.createIndexes()); // idempotent
    }

    @Test
    void latestVersionIsKeyedByIdAndEveryVersionByIdAndVersion() {
        ModelConfig v1 = await(registry.createConfig(config("sdxl", 1, T0)));
        await(registry.saveConfigVersion(v1.nextVersion(v1, T0.plusSeconds(1))));
        BsonDocument latest = Mono.from(database.getCollection("configs", BsonDocument.class).find().first()).block();
        assertEquals(new BsonString("sdxl"), latest.get("_id"));
        assertEquals(new BsonString("sdxl"), latest.get("id"));
        assertEquals(new BsonInt32(2), latest.get("version"));
        assertEquals(BsonBoolean.TRUE, latest.get("is_active"));
        List<BsonDocument> versions = Flux.from(database.getCollection("config_versions", BsonDocument.class)
                .find(Filters.eq("id", "sdxl"))).collectList().block();
        assertEquals(List.of(1, 2), versions.stream().map(v -> v.getInt32("version").getValue()).sorted().toList());
        assertTrue(versions.stream().allMatch(v -> v.get("_id").getBsonType() == BsonType.OBJECT_ID),
                "a version has no _id of its own: " + versions);
    }

    @Test
    void versionsIncludeTheLatestEvenWhenItsHistoryWriteWasLost() {
        ModelConfig v1 = await(registry.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = v1.nextVersion(v1, T0.plusSeconds(1));
        // As if the node died between writing `configs` and `config_versions`.
        Mono.from(database.getCollection("configs", BsonDocument.class)
                .replaceOne(new BsonDocument("_id", new BsonString("sdxl")), MongoConfigRegistry.document(v2))).block();
        assertEquals(List.of(v1, v2), await(registry.configVersions("sdxl")));
        assertEquals(ErrorCode.INVALID_STATE, failureCode(registry.saveConfigVersion(v2)));
    }

    @Test
    void unreachableDatabaseIsUnavailable() {
        try (MongoClient down = UnreachableMongo.client()) {
            MongoConfigRegistry unreachable = new MongoConfigRegistry(down.getDatabase("spindle"));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.createConfig(config("x", 1, T0))));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.config("x")));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.configVersions("x")));
        }
    }
}
