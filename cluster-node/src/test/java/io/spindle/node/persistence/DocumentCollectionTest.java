package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.ServerAddress;
import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.testsupport.MongoServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal's inserts and finds behave the same through the driver and in process. */
class DocumentCollectionTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private record Reached(String how, DocumentCollection collection, MongoCommandCounts counts) {
        @Override
        public String toString() {
            return how;
        }
    }

    static Stream<Arguments> bothWays() {
        MongoDatabase database = MONGO.freshDatabase();
        MongoCommandCounts counts = new MongoCommandCounts();
        ServerAddress address = InProcessServers.address(MONGO.uri()).orElseThrow();
        return Stream.of(
                Arguments.of(new Reached("driver", new DriverDocumentCollection(database.getCollection("driver")), null)),
                Arguments.of(new Reached("in process", new InProcessDocumentCollection(address, database.getName(),
                        new DriverDocumentCollection(database.getCollection("inprocess")), counts), counts)));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void insertedDocumentsAreFoundWithTheirValuesAndTypes(Reached reached) throws Exception {
        DocumentCollection collection = reached.collection();
        List<Document> documents = new ArrayList<>();
        for (long i = 1; i <= 300; i++) {
            documents.add(new Document("_id", i).append("key", "p|" + i).append("payload", new Binary(new byte[] {1, 2, (byte) i}))
                    .append("small", (int) i).append("events", List.of(new Document("seq", i))));
        }
        await(collection.insertUnordered(documents));

        List<Document> found = await(collection.find(Filters.in("_id", List.of(2L, 299L, 1000L))));
        assertEquals(List.of(2L, 299L), found.stream().map(d -> d.get("_id")).sorted().toList());
        Document two = found.stream().filter(d -> d.get("_id").equals(2L)).findFirst().orElseThrow();
        assertEquals(documents.get(1), two);
        assertEquals(Integer.class, two.get("small").getClass());
        assertEquals(300, await(collection.find(Filters.gt("_id", 0L))).size(), "a find answers every match");
        assertTrue(await(collection.find(Filters.eq("_id", -1L))).isEmpty());
        if (reached.counts() != null) {
            assertEquals(1L, reached.counts().byCommandAndCollection().get("insert inprocess"));
            assertEquals(3L, reached.counts().byCommandAndCollection().get("find inprocess"));
        }
    }

    @Test
    void followsItsServerThroughARestartAndUsesTheDriverWhileNoneRunsHere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data.h2");
        EmbeddedMongo first = EmbeddedMongo.start(file);
        int port = first.address().getPort();
        MongoCommandCounts counts = new MongoCommandCounts();
        try (MongoClient client = MongoClients.create(first.uri() + "/?serverSelectionTimeoutMS=500")) {
            DocumentCollection collection = new InProcessDocumentCollection(InProcessServers.address(first.uri()).orElseThrow(), "d",
                    new DriverDocumentCollection(client.getDatabase("d").getCollection("c")), counts);
            await(collection.insertUnordered(List.of(new Document("_id", "before"))));
            first.close();

            ExecutionException down = assertThrows(ExecutionException.class,
                    () -> await(collection.insertUnordered(List.of(new Document("_id", "while-down")))));
            // The driver's own failure to reach a server (socket or selection timeout), not the stopped in-process one's.
            assertInstanceOf(MongoException.class, down.getCause(), down.getCause().toString());

            try (EmbeddedMongo second = EmbeddedMongo.start(file, "127.0.0.1", port)) {
                await(collection.insertUnordered(List.of(new Document("_id", "after"))));
                assertEquals(2, await(collection.find(Filters.in("_id", List.of("before", "after")))).size());
            }
        } finally {
            first.close();
        }
        assertEquals(2L, counts.byCommandAndCollection().get("insert c"), "both inserts while a server ran here went in process");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void aDuplicateFailsItsDocumentOnlyWithItsIndex(Reached reached) throws Exception {
        DocumentCollection collection = reached.collection();
        await(collection.insertUnordered(List.of(new Document("_id", "dup-taken"))));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(collection.insertUnordered(
                List.of(new Document("_id", "dup-new-1"), new Document("_id", "dup-taken"), new Document("_id", "dup-new-2")))));
        MongoBulkWriteException bulk = assertInstanceOf(MongoBulkWriteException.class, failed.getCause());
        assertEquals(1, bulk.getWriteErrors().size());
        assertEquals(1, bulk.getWriteErrors().get(0).getIndex());
        assertEquals(11000, bulk.getWriteErrors().get(0).getCode());
        assertEquals(2, await(collection.find(Filters.in("_id", List.of("dup-new-1", "dup-new-2")))).size(),
                "an unordered insert stores the others");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothWays")
    void replacingUpsertsByIdAndReplacesWhatIsThere(Reached reached) throws Exception {
        DocumentCollection collection = reached.collection();
        await(collection.replaceUpserting(List.of(
                new BsonDocument("_id", new BsonString("a")).append("v", new BsonInt32(1)).append("extra", new BsonString("x")),
                new BsonDocument("_id", new BsonString("b")).append("v", new BsonInt32(1)))));
        await(collection.replaceUpserting(List.of(
                new BsonDocument("_id", new BsonString("a")).append("v", new BsonInt32(2)),
                new BsonDocument("_id", new BsonString("c")).append("v", new BsonInt32(1)))));

        List<Document> found = await(collection.find(Filters.in("_id", List.of("a", "b", "c"))));
        assertEquals(List.of(new Document("_id", "a").append("v", 2), new Document("_id", "b").append("v", 1),
                        new Document("_id", "c").append("v", 1)),
                found.stream().sorted(java.util.Comparator.comparing(d -> d.getString("_id"))).toList(),
                "the second write replaced a (its extra field gone), inserted c and left b");
        if (reached.counts() != null) {
            assertEquals(2L, reached.counts().byCommandAndCollection().get("update inprocess"));
        }
    }
}
