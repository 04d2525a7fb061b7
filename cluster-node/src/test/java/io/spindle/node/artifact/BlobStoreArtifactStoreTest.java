package io.spindle.node.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The artifact store of a node whose endpoint is the embedded S3 server of its own process: the contract, opened the
 * way a node opens it ({@link ArtifactStores}), and the same objects as the server serves over S3, both ways.
 */
class BlobStoreArtifactStoreTest extends ArtifactStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.withCredentials();

    private static final int MIB = 1024 * 1024;
    private static ActorTestKit testKit;
    private static String bucket;
    private static MeteredArtifactStore store;
    private static S3ArtifactStore overHttp;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("BlobStoreArtifactStoreTest");
        bucket = S3ProxyExtension.freshBucketName();
        store = await(ArtifactStores.open(testKit.system(), s3Config(bucket, true)));
        overHttp = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(bucket)));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    ActorTestKit testKit() {
        return testKit;
    }

    /** {@code spindle.artifacts.s3} pointed at the test's server, as {@code spindle dev} points a node at its own. */
    private static Config s3Config(String bucket, boolean inProcess) {
        S3StoreSettings settings = S3_PROXY.settings(bucket);
        return ConfigFactory.parseMap(Map.of(
                        "endpoint", settings.endpoint(),
                        "bucket", bucket,
                        "access-key", settings.accessKey(),
                        "secret-key", settings.secretKey(),
                        "in-process", inProcess))
                .withFallback(ConfigFactory.load().getConfig("spindle.artifacts.s3"));
    }

    @Test
    void aNodeOnItsOwnEmbeddedServerGoesInProcessAndOtherwiseThroughS3() throws Exception {
        assertInstanceOf(BlobStoreArtifactStore.class, store);
        assertInstanceOf(S3ArtifactStore.class, await(ArtifactStores.open(testKit.system(), s3Config(bucket, false))));
        Config elsewhere = s3Config(bucket, true).withValue("endpoint",
                ConfigFactory.parseString("e = \"" + S3_PROXY.endpoint().replace("127.0.0.1", "localhost") + "\"").getValue("e"));
        assertInstanceOf(S3ArtifactStore.class, await(ArtifactStores.open(testKit.system(), elsewhere)));
    }

    @Test
    void whatIsWrittenInProcessIsTheObjectS3ClientsSeeAndTheReverse() throws Exception {
        byte[] json = "{\"echo\":\"hi\"}".getBytes();
        String key = freshKey("out.json");
        StoredObject stored = await(store.put(key, write("out.json", json), "application/json"));

        assertEquals(Optional.of(new ObjectInfo(key, json.length, "application/json", stored.etag())), await(overHttp.head(key)));
        assertArrayEquals(json, collect(await(overHttp.get(key, Optional.empty())).bytes()));

        byte[] png = randomBytes(5_000);
        String other = freshKey("in.png");
        StoredObject sent = await(overHttp.put(other, write("in.png", png), "image/png"));
        assertEquals(Optional.of(new ObjectInfo(other, png.length, "image/png", sent.etag())), await(store.head(other)));
        assertArrayEquals(png, collect(await(store.get(other, Optional.empty())).bytes()));
        assertEquals(List.of(key, other).stream().sorted().toList(),
                await(store.list("").filter(k -> k.equals(key) || k.equals(other)).runWith(Sink.seq(), testKit.system())));
    }

    @Test
    void aFileLargerThanTheInMemoryLimitStreamsWithItsDigest() throws Exception {
        Path file = tmp.resolve("video.mp4");
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 3; i++) {
                byte[] chunk = randomBytes(MIB + i);
                expected.update(chunk);
                out.write(chunk);
                size += chunk.length;
            }
        }
        String key = freshKey("video.mp4");

        StoredObject stored = await(store.put(key, file, "video/mp4"));

        assertEquals(size, stored.size());
        assertEquals(HexFormat.of().formatHex(expected.digest()), stored.sha256());
        assertEquals(Optional.of(new ObjectInfo(key, size, "video/mp4", stored.etag())), await(overHttp.head(key)));
        assertArrayEquals(Files.readAllBytes(file), collect(await(overHttp.get(key, Optional.empty())).bytes()));
    }

    @Test
    void storedObjectsArePrivateFiles() throws Exception {
        String key = freshKey("secret.txt");
        await(store.put(key, write("secret.txt", "s".getBytes()), "text/plain"));

        Path object = S3_PROXY.directory().resolve(bucket).resolve("artifacts").resolve(key);
        assertTrue(Files.isRegularFile(object), object + " exists");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(object);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), permissions);
    }

    @Test
    void openCreatesAMissingBucketOrFailsWhenItMayNot() throws Exception {
        String fresh = S3ProxyExtension.freshBucketName();
        Config refused = s3Config(fresh, true).withValue("create-bucket", ConfigFactory.parseString("c = false").getValue("c"));

        SpindleException e = failure(ArtifactStores.open(testKit.system(), refused));

        assertEquals(ErrorCode.UNAVAILABLE, e.error().code());
        assertFalse(Files.exists(S3_PROXY.directory().resolve(fresh)));
        MeteredArtifactStore created = await(ArtifactStores.open(testKit.system(), s3Config(fresh, true)));
        await(created.put("k/hello.txt", write("hello.txt", "hi".getBytes()), "text/plain"));
        assertTrue(Files.isDirectory(S3_PROXY.directory().resolve(fresh)));
        assertTrue(created.requests() > 0);
    }
}
