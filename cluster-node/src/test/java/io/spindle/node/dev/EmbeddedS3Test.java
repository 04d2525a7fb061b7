package io.spindle.node.dev;

import static io.spindle.node.artifact.ArtifactStoreContract.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.artifact.ObjectContent;
import io.spindle.node.artifact.S3ArtifactStore;
import io.spindle.node.artifact.S3StoreSettings;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server as {@code spindle dev} uses it: configured from HOCON, data kept across restarts. */
class EmbeddedS3Test {
    private static ActorTestKit testKit;

    @TempDir
    Path data;

    @BeforeAll
    static void start() {
        S3ProxyExtension.quietServerLogs();
        testKit = ActorTestKit.create("EmbeddedS3Test");
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void startsFromConfigUnderTheDataDirAndKeepsObjectsAcrossRestarts() throws Exception {
        Config config = testKit.system().settings().config();
        Config embedded = ConfigFactory.parseMap(Map.of("access-key", "dev", "secret-key", "dev-secret"))
                .withFallback(config.getConfig("spindle.artifacts.embedded"));
        S3StoreSettings base = S3StoreSettings.fromConfig(config.getConfig("spindle.artifacts.s3"));
        Path file = data.resolve("hello.txt");
        Files.writeString(file, "hello");

        int port;
        try (EmbeddedS3 server = EmbeddedS3.start(embedded, data, data.resolve("secrets"))) {
            port = server.port();
            assertEquals("http://127.0.0.1:" + port, server.endpoint());
            assertEquals(data.resolve("artifacts"), server.directory());
            S3ArtifactStore store = await(S3ArtifactStore.open(testKit.system(), server.storeSettings(base)));
            await(store.put("cfg/j/1/a/hello.txt", file, "text/plain"));
        }
        assertTrue(Files.isDirectory(data.resolve("artifacts").resolve(base.bucket())));

        Config samePort = ConfigFactory.parseMap(Map.of("port", port)).withFallback(embedded);
        try (EmbeddedS3 server = EmbeddedS3.start(samePort, data, data.resolve("secrets"))) {
            S3ArtifactStore store = await(S3ArtifactStore.open(testKit.system(), server.storeSettings(base)));
            ObjectContent content = await(store.get("cfg/j/1/a/hello.txt", Optional.empty()));
            ByteString bytes = await(content.bytes().runWith(
                    Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system()));
            assertArrayEquals("hello".getBytes(), bytes.toArray());
        }
    }
}
