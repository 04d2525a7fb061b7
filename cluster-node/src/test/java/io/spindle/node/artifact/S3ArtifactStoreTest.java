package io.spindle.node.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.Manifest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.stream.connectors.s3.AccessStyle;
import org.apache.pekko.stream.connectors.s3.S3Attributes;
import org.apache.pekko.stream.connectors.s3.S3Settings;
import org.apache.pekko.stream.connectors.s3.javadsl.S3;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The S3 store against a real S3Proxy that requires signed requests: the shared contract, plus what
 * only a real bucket shows (multipart uploads, bucket creation, the server's listing quirks) and that
 * pekko-http 1.3.0 with the connector starts at all.
 */
class S3ArtifactStoreTest extends ArtifactStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.withCredentials();

    private static final int MIB = 1024 * 1024;
    private static ActorTestKit testKit;
    private static S3ArtifactStore store;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("S3ArtifactStoreTest");
        store = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(S3ProxyExtension.freshBucketName())));
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

    @Test
    void pekkoHttpStartsWithTheConnectorAndMixedVersionsStillFatal() throws Exception {
        // The check stays on: only pekko-http-xml's classes are on the class path, not its 1.0.1 jar.
        assertTrue(testKit.system().settings().config().getBoolean("pekko.fail-mixed-versions"));
        assertNotNull(Http.get(testKit.system()));
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
            try (var in = url.openStream()) {
                String title = new Manifest(in).getMainAttributes().getValue("Implementation-Title");
                assertFalse("pekko-http-xml".equals(title), "pekko-http-xml's jar is on the class path: " + url);
            }
        }
        Class.forName("org.apache.pekko.http.scaladsl.marshallers.xml.ScalaXmlSupport$");
    }

    @Test
    void filesOnBothSidesOfTheInMemoryLimitKeepTheirBytesAndDigest() throws Exception {
        for (int size : List.of(S3ArtifactStore.IN_MEMORY_MAX_BYTES, S3ArtifactStore.IN_MEMORY_MAX_BYTES + 1)) {
            byte[] bytes = randomBytes(size);
            Path file = Files.write(tmp.resolve("clip-" + size + ".wav"), bytes);
            String key = freshKey("clip.wav");

            StoredObject stored = await(store.put(key, file, "audio/wav"));

            assertEquals(size, stored.size());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), stored.sha256());
            ObjectContent got = await(store.get(key, Optional.empty()));
            byte[] read = await(got.bytes().runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system()))
                    .toArray();
            assertArrayEquals(bytes, read, size + " bytes");
        }
    }

    @Test
    void aMultiMegabyteFileStreamsUpAsOnePutAndAsAMultipartUpload() throws Exception {
        Path file = tmp.resolve("video.mp4");
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 12; i++) {
                byte[] chunk = randomBytes(MIB + i);
                expected.update(chunk);
                out.write(chunk);
                size += chunk.length;
            }
        }
        String sha = HexFormat.of().formatHex(expected.digest());
        S3ArtifactStore multipart = await(S3ArtifactStore.open(testKit.system(),
                store.settings().withMultipartThreshold(5L * MIB)));

        for (ArtifactStore s : List.of(store, multipart)) {
            String key = freshKey("video.mp4");
            StoredObject stored = await(s.put(key, file, "video/mp4"));
            assertEquals(size, stored.size());
            assertEquals(sha, stored.sha256());

            ObjectContent got = await(s.get(key, Optional.empty()));
            assertEquals(size, got.info().size());
            MessageDigest read = MessageDigest.getInstance("SHA-256");
            long readSize = await(got.bytes().runWith(Sink.fold(0L, (n, bs) -> {
                bs.getByteBuffers().forEach(read::update);
                return n + bs.size();
            }), testKit.system()));
            assertEquals(size, readSize);
            assertEquals(sha, HexFormat.of().formatHex(read.digest()));
        }
    }

    @Test
    void openCreatesAMissingBucket() throws Exception {
        String bucket = S3ProxyExtension.freshBucketName();
        assertFalse(Files.exists(S3_PROXY.directory().resolve(bucket)));

        ArtifactStore fresh = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(bucket)));
        await(fresh.put("k/hello.txt", write("hello.txt", "hi".getBytes()), "text/plain"));

        assertTrue(Files.isDirectory(S3_PROXY.directory().resolve(bucket)));
        // Opening again finds the bucket there and keeps its objects.
        ArtifactStore again = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(bucket)));
        assertArrayEquals("hi".getBytes(), collect(await(again.get("k/hello.txt", Optional.empty())).bytes()));
    }

    @Test
    void openFailsWhenTheBucketIsMissingAndMayNotBeCreated() {
        S3StoreSettings settings = S3_PROXY.settings(S3ProxyExtension.freshBucketName()).withCreateBucket(false);

        SpindleException e = failure(S3ArtifactStore.open(testKit.system(), settings));

        assertEquals(ErrorCode.UNAVAILABLE, e.error().code());
    }

    @Test
    void openFailsOnWrongCredentials() {
        S3StoreSettings settings = S3_PROXY.settings(S3ProxyExtension.freshBucketName())
                .withKeys(S3_PROXY.accessKey(), "not-the-secret");

        SpindleException e = failure(S3ArtifactStore.open(testKit.system(), settings));

        assertEquals(ErrorCode.UNAVAILABLE, e.error().code());
    }

    @Test
    void objectsLandUnderThePrefixAndListingSkipsDirectoryEntries() throws Exception {
        String bucket = S3ProxyExtension.freshBucketName();
        ArtifactStore unprefixed = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(bucket).withPrefix("")));
        ArtifactStore prefixed = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(bucket).withPrefix("/p/")));
        Path file = write("o.txt", "o".getBytes());
        await(prefixed.put("cfg/job/1/a.txt", file, "text/plain"));
        await(unprefixed.put("top.txt", file, "text/plain"));

        // Seen from the bucket root the prefixed object is p/...; the filesystem backend also
        // reports its folders ("p/", "p/cfg/"…) as entries, which are no objects.
        S3Settings raw = S3Settings.create(testKit.system())
                .withEndpointUrl(S3_PROXY.endpoint())
                .withAccessStyle(AccessStyle.pathAccessStyle())
                .withCredentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3_PROXY.accessKey(), S3_PROXY.secretKey())))
                .withS3RegionProvider(() -> Region.US_EAST_1);
        List<String> rawKeys = await(S3.listBucket(bucket, Optional.empty())
                .withAttributes(S3Attributes.settings(raw))
                .map(c -> c.getKey())
                .runWith(Sink.seq(), testKit.system()));
        assertEquals(List.of("p/", "p/cfg/", "p/cfg/job/", "p/cfg/job/1/", "p/cfg/job/1/a.txt", "top.txt"), rawKeys);

        assertEquals(List.of("p/cfg/job/1/a.txt", "top.txt"),
                await(unprefixed.list("").runWith(Sink.seq(), testKit.system())));
        assertEquals(List.of("cfg/job/1/a.txt"), await(prefixed.list("").runWith(Sink.seq(), testKit.system())));
        assertEquals("s3://" + bucket + "/p/cfg/job/1/a.txt", prefixed.uri("cfg/job/1/a.txt"));
        assertEquals(ByteString.fromString("o"), ByteString.fromArray(
                collect(await(unprefixed.get("p/cfg/job/1/a.txt", Optional.empty())).bytes())));
    }
}
