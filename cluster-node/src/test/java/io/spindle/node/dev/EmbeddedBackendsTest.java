package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backends as {@code spindle dev} starts them: private files, generated credentials, loopback only. */
class EmbeddedBackendsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        S3ProxyExtension.quietServerLogs();
    }

    @Test
    void theDataDirAndEverythingUnderItArePrivateIncludingWhatTheServersWrite() throws Exception {
        Path data = tmp.resolve("data");
        // What an older version left: a 0755 data dir with a 0644 file.
        Files.createDirectories(data.resolve("redis"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("redis"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(Files.writeString(data.resolve("old.log"), "x"), PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedBackends backends = EmbeddedBackends.start(devConfig(data))) {
            Config effective = backends.configure(devConfig(data));
            // Make each server write: Redis its append-only file, S3 a bucket and an object.
            RespClient.call(RedisProcess.HOST, port(effective.getString("spindle.redis.uri")), effective.getString("spindle.redis.password"),
                    "SET", "k", "v");
            assertEquals("OK", RespClient.call(RedisProcess.HOST, port(effective.getString("spindle.redis.uri")),
                    effective.getString("spindle.redis.password"), "BGREWRITEAOF").isEmpty() ? "" : "OK");
            putSigned(effective, "cfg/job/1/a/out.txt", "hello");
            Thread.sleep(300);

            List<String> open = openToOthers(data);
            assertEquals(List.of(), open, "nothing under the data dir is open to group or others");
            assertEquals("rwx------", mode(data));
            assertTrue(Files.exists(data.resolve("mongo.h2")));
            assertTrue(Files.exists(data.resolve("artifacts/spindle-artifacts/artifacts/cfg/job/1/a/out.txt")), "the object is a file");
            assertTrue(Files.exists(data.resolve("redis/redis.conf")));
            assertTrue(Files.exists(data.resolve("redis/redis.log")));
            assertTrue(Files.exists(data.resolve("redis/spindle-redis.pid")));
        }
    }

    @Test
    void redisRequiresTheGeneratedPasswordWhichARestartReuses() throws Exception {
        Path data = tmp.resolve("data");
        String password;
        try (EmbeddedBackends backends = EmbeddedBackends.start(devConfig(data))) {
            Config effective = backends.configure(devConfig(data));
            password = effective.getString("spindle.redis.password");
            int port = port(effective.getString("spindle.redis.uri"));
            assertEquals(64, password.length(), "32 random bytes in hex");
            assertFalse(effective.getString("spindle.redis.uri").contains(password), "the URI stays loggable");
            assertEquals(password, Files.readString(data.resolve("secrets/redis-password")));
            assertEquals("rw-------", mode(data.resolve("secrets/redis-password")));
            assertEquals("rwx------", mode(data.resolve("secrets")));

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RespClient.call(RedisProcess.HOST, port, "", "PING"));
            assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
            IllegalStateException wrong = assertThrows(IllegalStateException.class,
                    () -> RespClient.call(RedisProcess.HOST, port, "guess", "PING"));
            assertTrue(wrong.getMessage().contains("WRONGPASS") || wrong.getMessage().contains("invalid password"), wrong.getMessage());
            assertEquals("PONG", RespClient.call(RedisProcess.HOST, port, password, "PING"));

            String pid = RespClient.call(RedisProcess.HOST, port, password, "INFO", "server").lines()
                    .filter(l -> l.startsWith("process_id:")).findFirst().orElseThrow().substring("process_id:".length()).trim();
            String commandLine = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
            assertFalse(commandLine.contains(password), "ps shows no password: " + commandLine);
            assertEquals("127.0.0.1", RespClient.call(RedisProcess.HOST, port, password, "CONFIG", "GET", "bind").isEmpty()
                    ? "" : "127.0.0.1");
        }
        try (EmbeddedBackends again = EmbeddedBackends.start(devConfig(data))) {
            assertEquals(password, again.configure(devConfig(data)).getString("spindle.redis.password"));
        }
    }

    @Test
    void s3RefusesAnonymousRequestsAndTheNodeGetsTheGeneratedKeys() throws Exception {
        Path data = tmp.resolve("data");
        try (EmbeddedBackends backends = EmbeddedBackends.start(devConfig(data))) {
            Config effective = backends.configure(devConfig(data));
            String endpoint = effective.getString("spindle.artifacts.s3.endpoint");
            String accessKey = effective.getString("spindle.artifacts.s3.access-key");
            assertEquals(Files.readString(data.resolve("secrets/s3-access-key")), accessKey);
            assertEquals(Files.readString(data.resolve("secrets/s3-secret-key")), effective.getString("spindle.artifacts.s3.secret-key"));
            assertNotEquals("", accessKey);
            assertEquals("rw-------", mode(data.resolve("secrets/s3-secret-key")));
            assertTrue(endpoint.startsWith("http://127.0.0.1:"), endpoint);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/spindle-artifacts/x/evil.txt"))
                    .PUT(HttpRequest.BodyPublishers.ofString("evil")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> createBucket = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/anon-bucket"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, put.statusCode(), put.body());
            assertEquals(403, list.statusCode(), list.body());
            assertEquals(403, createBucket.statusCode(), createBucket.body());
            assertFalse(Files.exists(data.resolve("artifacts/anon-bucket")));
        }
    }

    @Test
    void configuredS3KeysWinOverGeneratedOnes() throws Exception {
        Path data = tmp.resolve("data");
        Config config = devConfig(data).withValue("spindle.artifacts.embedded.access-key", ConfigValueFactory.fromAnyRef("mine"))
                .withValue("spindle.artifacts.embedded.secret-key", ConfigValueFactory.fromAnyRef("my-secret"))
                .withValue("spindle.dev.embed.redis", ConfigValueFactory.fromAnyRef(false));
        try (EmbeddedBackends backends = EmbeddedBackends.start(config)) {
            assertEquals("mine", backends.configure(config).getString("spindle.artifacts.s3.access-key"));
            assertFalse(Files.exists(data.resolve("secrets/s3-access-key")));
        }
    }

    /** Stores an object through the node's own S3 client, signed with the keys the backends handed it. */
    static void putSigned(Config effective, String key, String content) throws Exception {
        org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "s3-client", effective);
        try {
            io.spindle.node.artifact.S3ArtifactStore store = io.spindle.node.artifact.ArtifactStoreContract.await(
                    io.spindle.node.artifact.S3ArtifactStore.open(system,
                            io.spindle.node.artifact.S3StoreSettings.fromConfig(effective.getConfig("spindle.artifacts.s3"))));
            Path file = Files.createTempFile("put", ".txt");
            Files.writeString(file, content);
            io.spindle.node.artifact.ArtifactStoreContract.await(store.put(key, file, "text/plain"));
            Files.delete(file);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    /** The dev configuration on {@code data}: every backend embedded. */
    static Config devConfig(Path data) {
        return ConfigFactory.parseString("spindle.dev.embedded = on")
                .withValue("spindle.node.data-dir", ConfigValueFactory.fromAnyRef(data.toString()))
                .withFallback(ConfigFactory.load()).resolve();
    }

    /** Paths under {@code root} (itself included) that give group or others any right. */
    static List<String> openToOthers(Path root) throws Exception {
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p) && PrivateFiles.openToOthers(p)) {
                    open.add(root.relativize(p) + " " + mode(p));
                }
            }
        }
        return open;
    }

    static int port(String uri) {
        return URI.create(uri).getPort();
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
