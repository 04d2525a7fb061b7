package io.spindle.node.testsupport;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.node.dev.EmbeddedMongo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real embedded Mongo-wire server (durable H2 file in a temp dir) for a test class and
 * removes it afterwards. Use with {@code @RegisterExtension static MongoServerExtension MONGO = new ...}.
 * Each test should use its own database ({@link #freshDatabase()}, or {@link #freshDatabaseName()}) to stay independent.
 */
public final class MongoServerExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private EmbeddedMongo server;
    private int lastPort;
    private MongoClient client;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("spindle-mongo-test");
        server = EmbeddedMongo.start(dir.resolve("mongo.h2"));
        lastPort = server.address().getPort();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
            client = null;
        }
        stop();
        deleteRecursively(dir);
    }

    /** A database no other test uses, on a client this extension opens once and closes after the class. */
    public synchronized MongoDatabase freshDatabase() {
        if (client == null) {
            client = MongoClients.create(uri());
        }
        return client.getDatabase(freshDatabaseName());
    }

    /** Stops the server, keeping its data file (for restart tests). */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same data file and the same port (also after {@link #stop()}). */
    public void restart() {
        stop();
        server = EmbeddedMongo.start(dir.resolve("mongo.h2"), "127.0.0.1", lastPort);
    }

    public String uri() {
        return server.uri();
    }

    public int port() {
        return server.address().getPort();
    }

    public Path dataFile() {
        return dir.resolve("mongo.h2");
    }

    public static String freshDatabaseName() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
