package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A file whose keys hold numbers as BSON bytes (what spindle dev wrote before) opens with every document and index. */
class SortableKeysUpgradeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<Document> EVENTS = List.of(
            new Document("_id", -3L).append("keys", List.of("job-0|1")),
            new Document("_id", 1L).append("keys", List.of("job-1|1", "job-1|2")),
            new Document("_id", 256L).append("keys", List.of("job-2|1")),
            new Document("_id", 70_000L).append("keys", List.of("job-3|1")));
    private static final List<Document> CONFIGS = List.of(
            new Document("_id", "echo-java").append("version", 2), new Document("_id", "echo-python").append("version", 1));

    @TempDir
    Path dir;

    @Test
    void aFileWithBsonKeysIsReKeyedOnceWithEveryDocumentAndIndex() {
        Path file = dir.resolve("mongo.h2");
        writeWithBsonKeys(file);

        for (int start = 0; start < 2; start++) {
            assertEverythingIsThere(file);
        }
    }

    @Test
    void aCopyInterruptedBeforeItsMarkStartsOver() {
        Path file = dir.resolve("mongo.h2");
        writeWithBsonKeys(file);
        MVStore store = MVStore.open(file.toString());
        StoreMaps.documentMap(store, "bson.rekeyed.spindle.journal").put(BsonBytes.key(99L), new byte[] {1, 2, 3});
        store.commit();
        store.close();

        assertEverythingIsThere(file);
    }

    @Test
    void aReplacementInterruptedAfterTheCopysMarkGoesOn() {
        Path file = dir.resolve("mongo.h2");
        writeWithBsonKeys(file);
        MVStore store = MVStore.open(file.toString());
        for (String namespace : StoreMaps.namespaces(store)) {
            MVMap<String, byte[]> copy = StoreMaps.documentMap(store, "bson.rekeyed." + namespace);
            StoreMaps.documents(store, namespace).forEach((key, document) ->
                    copy.put(BsonBytes.key(SortableKeysUpgrade.valuesOfBsonKey(key)), document));
        }
        store.removeMap(StoreMaps.documentsName("spindle.journal"));
        store.openMap("spindle.format", new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE)).put("keys-copied", "4");
        store.commit();
        store.close();

        assertEverythingIsThere(file);
    }

    private void assertEverythingIsThere(Path file) {
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoDatabase db = client.getDatabase("spindle");
            assertEquals(EVENTS, Flux.from(db.getCollection("journal").find().sort(Sorts.ascending("_id"))).collectList().block(TIMEOUT));
            assertEquals(CONFIGS, Flux.from(db.getCollection("configs").find().sort(Sorts.ascending("_id"))).collectList().block(TIMEOUT));
            assertEquals(List.of(256L, 70_000L), Flux.from(db.getCollection("journal").find(Filters.in("_id", List.of(256, 70_000.0, 5L))))
                    .map(d -> d.getLong("_id")).sort().collectList().block(TIMEOUT), "found by id, whatever the number's type");
            assertEquals(List.of(1L), Flux.from(db.getCollection("journal").find(Filters.in("keys", List.of("job-1|2"))))
                    .map(d -> d.getLong("_id")).collectList().block(TIMEOUT));
            assertThrows(MongoWriteException.class, () -> Mono.from(db.getCollection("journal").insertOne(
                    new Document("_id", 9L).append("keys", List.of("job-2|1")))).block(TIMEOUT), "the keys index was rebuilt");
            assertThrows(MongoWriteException.class, () -> Mono.from(db.getCollection("journal").insertOne(
                    new Document("_id", 256))).block(TIMEOUT), "ids stay unique");
        }
        MVStore store = MVStore.open(file.toString());
        try {
            assertFalse(store.getMapNames().stream().anyMatch(name -> name.startsWith("bson.rekeyed.")), store.getMapNames().toString());
        } finally {
            store.close();
        }
    }

    /** Writes through the server, then puts each document back under the key the earlier form gave its id. */
    private static void writeWithBsonKeys(Path file) {
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoDatabase db = client.getDatabase("spindle");
            Mono.from(db.getCollection("journal").createIndex(Indexes.ascending("keys"), new IndexOptions().unique(true))).block(TIMEOUT);
            Mono.from(db.getCollection("journal").insertMany(EVENTS)).block(TIMEOUT);
            Mono.from(db.getCollection("configs").insertMany(CONFIGS)).block(TIMEOUT);
        }
        MVStore store = MVStore.open(file.toString());
        for (String namespace : StoreMaps.namespaces(store)) {
            MVMap<String, byte[]> documents = StoreMaps.documents(store, namespace);
            Map<String, byte[]> byBsonKey = new HashMap<>();
            documents.forEach((key, document) -> byBsonKey.put(bsonKey(BsonBytes.values(key)), document));
            documents.clear();
            documents.putAll(byBsonKey);
        }
        store.removeMap("spindle.format");
        store.commit();
        store.close();
    }

    private static String bsonKey(KeyValue values) {
        ByteBuf buffer = Unpooled.buffer();
        for (Object value : values) {
            byte type = BsonEncoder.determineType(value);
            buffer.writeByte(type);
            BsonEncoder.encodeValue(type, value, buffer);
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }
}
