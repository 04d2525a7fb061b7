package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoCommandException;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import io.spindle.node.persistence.InProcessServer;
import io.spindle.node.persistence.InProcessServers;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

class InProcessMongoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static RawBsonDocument run(InProcessServer mongo, Document command) throws Exception {
        return mongo.run("d", command).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void isFoundByTheAddressItsConnectionStringNamesAndOnlyThere() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"))) {
            int port = server.address().getPort();
            assertTrue(InProcessServers.at(server.uri()).isPresent());
            assertTrue(InProcessServers.at(server.uri() + "/?serverSelectionTimeoutMS=2000").isPresent(), "options do not matter");
            assertFalse(InProcessServers.at("mongodb://127.0.0.1:" + (port == 65535 ? port - 1 : port + 1)).isPresent());
            assertFalse(InProcessServers.at("mongodb://127.0.0.1:" + port + ",127.0.0.2:" + port).isPresent(),
                    "a list of hosts is never in process");
            server.close();
            assertFalse(InProcessServers.at(server.uri()).isPresent(), "a stopped server is not found");
        }
    }

    @Test
    void aWriteInProcessIsStoredAndSeenOverTheWireAtOnce() throws Exception {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            InProcessServer mongo = InProcessServers.at(server.uri()).orElseThrow();
            RawBsonDocument reply = run(mongo, new Document("insert", "c")
                    .append("documents", List.of(new Document("_id", "a").append("n", 1L), new Document("_id", "b")))
                    .append("ordered", false));
            assertEquals(2, reply.getNumber("n").intValue());
            Document stored = Mono.from(client.getDatabase("d").getCollection("c").find(new Document("_id", "a")).first()).block(TIMEOUT);
            assertEquals(1L, stored.get("n"), "the same value and type as written");
        }
        // Acknowledged only after a commit: the document is in the file the next server opens.
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            assertEquals(2L, Mono.from(client.getDatabase("d").getCollection("c").countDocuments()).block(TIMEOUT));
        }
    }

    @Test
    void aRefusedDocumentIsAWriteErrorOfTheReplyAsOverTheWire() throws Exception {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"))) {
            InProcessServer mongo = InProcessServers.at(server.uri()).orElseThrow();
            run(mongo, new Document("insert", "c").append("documents", List.of(new Document("_id", "a"))));
            RawBsonDocument reply = run(mongo, new Document("insert", "c")
                    .append("documents", List.of(new Document("_id", "b"), new Document("_id", "a"))).append("ordered", false));
            assertEquals(1, reply.getArray("writeErrors").size());
            assertEquals(1, reply.getArray("writeErrors").get(0).asDocument().getNumber("index").intValue());
            assertEquals(11000, reply.getArray("writeErrors").get(0).asDocument().getNumber("code").intValue());
        }
    }

    @Test
    void aCommandTheServerRefusesFailsWithItsCode() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"))) {
            InProcessServer mongo = InProcessServers.at(server.uri()).orElseThrow();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> mongo.run("d", new Document("noSuchCommand", 1)).join());
            MongoCommandException error = assertInstanceOf(MongoCommandException.class, failed.getCause());
            assertEquals(59, error.getErrorCode(), error.getMessage()); // CommandNotFound
        }
    }

    @Test
    void aStoreThatH2ClosedAnswersNoCommand() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"))) {
            InProcessServer mongo = InProcessServers.at(server.uri()).orElseThrow();
            server.backend().storeFile().mvStore().closeImmediately();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> mongo.run("d", new Document("find", "c")).join());
            assertTrue(failed.getCause().getMessage().contains("is closed"), failed.getCause().getMessage());
        }
    }

    @Test
    void commandsAfterTheServerStoppedFail() {
        EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2"));
        InProcessServer mongo = InProcessServers.at(server.uri()).orElseThrow();
        server.close();
        assertThrows(CompletionException.class, () -> mongo.run("d", new Document("find", "c")).join());
    }
}
