package io.spindle.node.artifact;

import static io.spindle.node.artifact.ArtifactStoreContract.await;
import static io.spindle.node.artifact.ArtifactStoreContract.failure;
import static io.spindle.node.artifact.ArtifactStoreContract.randomBytes;
import static io.spindle.node.artifact.ArtifactStoreContract.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.artifact.InMemoryArtifactCatalog;
import io.spindle.node.dev.EmbeddedS3;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The uploader against a real S3Proxy (anonymous) and the in-memory read model. */
class ArtifactUploaderTest {
    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.anonymous();

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static ActorTestKit testKit;
    private static S3ArtifactStore store;

    @TempDir
    Path tmp;
    private Path scratch;
    private InMemoryArtifactCatalog catalog;
    private ArtifactUploader uploader;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("ArtifactUploaderTest");
        store = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(S3ProxyExtension.freshBucketName())));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void setUp() throws Exception {
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        catalog = new InMemoryArtifactCatalog();
        Config upload = testKit.system().settings().config().getConfig("spindle.artifacts.upload");
        uploader = new ArtifactUploader(testKit.system(), store, catalog, upload, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void storesEachOutputAndRecordsItsMetadataAndLineage() throws Exception {
        byte[] image = randomBytes(40_000);
        byte[] meta = "{\"seed\":7}".getBytes();
        Files.write(scratch.resolve("out.png"), image);
        Files.createDirectories(scratch.resolve("extra"));
        Files.write(scratch.resolve("extra/meta.json"), meta);
        String jobId = "job-" + UUID.randomUUID();

        List<String> ids = await(uploader.upload(new ArtifactUpload(jobId, 2, "sdxl-base", 3, "image.sdxl#1", "node-a",
                scratch, List.of(new DeclaredArtifact("out.png", "image", "image/png"),
                        new DeclaredArtifact("extra/meta.json", "json", null)),
                List.of("art_parent1"))));

        assertEquals(2, ids.size());
        assertNotEquals(ids.get(0), ids.get(1));
        List<Artifact> recorded = await(catalog.artifactsOfJob(jobId));
        assertEquals(2, recorded.size());

        Artifact png = await(catalog.artifact(ids.get(0))).orElseThrow();
        String pngKey = "sdxl-base/" + jobId + "/2/" + ids.get(0) + "/out.png";
        assertEquals(new Artifact(ids.get(0), jobId, 2, "sdxl-base", 3, "image", "image/png", image.length, sha256(image),
                store.uri(pngKey), "image.sdxl#1", "node-a", NOW, List.of("art_parent1")), png);
        assertTrue(png.uri().startsWith("s3://" + store.settings().bucket() + "/artifacts/sdxl-base/"), png.uri());

        Artifact json = await(catalog.artifact(ids.get(1))).orElseThrow();
        assertEquals("application/json", json.mime(), "defaulted from the extension");
        assertEquals(sha256(meta), json.sha256());
        assertEquals(meta.length, json.size());

        // The bytes behind the recorded URI are the file's.
        String key = store.keyOf(png.uri()).orElseThrow();
        assertEquals(pngKey, key);
        ObjectContent content = await(store.get(key, Optional.empty()));
        assertEquals("image/png", content.info().contentType());
        assertArrayEquals(image, await(content.bytes()
                .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system())).toArray());
    }

    @Test
    void defaultsTheMediaTypeFromTheKindAndTheKindItself() throws Exception {
        Files.write(scratch.resolve("speech"), randomBytes(100));
        Files.write(scratch.resolve("blob"), randomBytes(100));
        String jobId = "job-" + UUID.randomUUID();

        List<String> ids = await(uploader.upload(job(jobId, List.of(
                new DeclaredArtifact("speech", "audio", null),
                new DeclaredArtifact("blob", null, " ")))));

        Artifact speech = await(catalog.artifact(ids.get(0))).orElseThrow();
        Artifact blob = await(catalog.artifact(ids.get(1))).orElseThrow();
        assertEquals("audio/wav", speech.mime());
        assertEquals("file", blob.kind());
        assertEquals("application/octet-stream", blob.mime());
    }

    @Test
    void idsAreStablePerJobAttemptAndPathSoAReuploadOverwrites() throws Exception {
        Files.write(scratch.resolve("a.txt"), "one".getBytes());
        String jobId = "job-" + UUID.randomUUID();
        List<String> first = await(uploader.upload(job(jobId, List.of(new DeclaredArtifact("a.txt", "text", null)))));
        Files.write(scratch.resolve("a.txt"), "two!".getBytes());

        List<String> again = await(uploader.upload(job(jobId, List.of(new DeclaredArtifact("./a.txt", "text", null)))));

        assertEquals(first, again);
        assertEquals(1, await(catalog.artifactsOfJob(jobId)).size());
        assertEquals(4, await(catalog.artifact(first.get(0))).orElseThrow().size());
    }

    @Test
    void anArtifactIdBeginsWithItsJobIdsTimeSoAJobsArtifactsSitTogether() {
        String jobId = "0190f6a8-5b2c-8d3e-8f41-2a6b9c0d1e2f";

        String a = ArtifactUploader.artifactId(jobId, 1, "a.png");
        String b = ArtifactUploader.artifactId(jobId, 1, "b.png");

        assertEquals("art_0190f6a85b2c", a.substring(0, 16));
        assertEquals("art_0190f6a85b2c", b.substring(0, 16));
        assertNotEquals(a, b);
        assertNotEquals(a, ArtifactUploader.artifactId(jobId, 2, "a.png"));
        assertEquals(28, a.length(), "art_ and 24 hex digits, as ever");
        assertTrue(ArtifactUploader.artifactId("job-1", 1, "a.png").matches("art_[0-9a-f]{24}"), "any other job id: all hash");
    }

    @Test
    void noOutputsMeansNoArtifactsAndNoRecord() throws Exception {
        String jobId = "job-" + UUID.randomUUID();

        assertEquals(List.of(), await(uploader.upload(job(jobId, List.of()))));
        assertEquals(List.of(), await(catalog.artifactsOfJob(jobId)));
    }

    @Test
    void pathsThatClimbOutOfTheScratchDirAreRejected() throws Exception {
        Files.write(tmp.resolve("secret.txt"), "secret".getBytes());
        assertRejected("../secret.txt", "outside_scratch_dir");
        assertRejected("sub/../../secret.txt", "outside_scratch_dir");
        assertRejected(".", "outside_scratch_dir");
    }

    @Test
    void absolutePathsAreRejectedEvenInsideTheScratchDir() throws Exception {
        Files.write(scratch.resolve("out.png"), randomBytes(10));
        assertRejected(scratch.resolve("out.png").toString(), "absolute_path");
        assertRejected(tmp.resolve("secret.txt").toString(), "absolute_path");
    }

    @Test
    void symlinksLeadingOutAreRejectedAndThoseStayingInsideAccepted() throws Exception {
        Files.write(tmp.resolve("secret.txt"), "secret".getBytes());
        Files.createSymbolicLink(scratch.resolve("link.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(scratch.resolve("linkdir"), tmp);
        assertRejected("link.txt", "outside_scratch_dir");
        assertRejected("linkdir/secret.txt", "outside_scratch_dir");

        Files.write(scratch.resolve("real.txt"), "inside".getBytes());
        Files.createSymbolicLink(scratch.resolve("alias.txt"), scratch.resolve("real.txt"));
        String jobId = "job-" + UUID.randomUUID();
        List<String> ids = await(uploader.upload(job(jobId, List.of(new DeclaredArtifact("alias.txt", "text", null)))));
        assertEquals(6, await(catalog.artifact(ids.get(0))).orElseThrow().size());
    }

    @Test
    void missingFilesDirectoriesAndDuplicatesAreRejected() throws Exception {
        Files.createDirectories(scratch.resolve("dir"));
        Files.write(scratch.resolve("x.txt"), "x".getBytes());
        assertRejected("nope.png", "missing");
        assertRejected("dir", "not_a_file");
        assertRejected("", "empty_path");

        SpindleException e = failure(uploader.upload(job("job-" + UUID.randomUUID(), List.of(
                new DeclaredArtifact("x.txt", "text", null), new DeclaredArtifact("./x.txt", "text", null)))));
        assertEquals("declared_twice", e.error().details().get("reason"));
    }

    @Test
    void oneBadOutputMeansNothingIsStoredOrRecorded() throws Exception {
        Files.write(scratch.resolve("good.txt"), "good".getBytes());
        String jobId = "job-" + UUID.randomUUID();

        failure(uploader.upload(job(jobId, List.of(
                new DeclaredArtifact("good.txt", "text", null), new DeclaredArtifact("../escape", "text", null)))));

        assertEquals(List.of(), await(catalog.artifactsOfJob(jobId)));
        assertEquals(List.of(), await(store.list("cfg/" + jobId + "/").runWith(Sink.seq(), testKit.system())));
    }

    @Test
    void anUnreachableStoreIsATransientFailure() throws Exception {
        Files.write(scratch.resolve("out.txt"), "x".getBytes());
        S3ArtifactStore gone;
        try (EmbeddedS3 server = EmbeddedS3.start(tmp.resolve("s3"), "127.0.0.1", 0, "", "", Duration.ofSeconds(10))) {
            gone = await(S3ArtifactStore.open(testKit.system(),
                    server.storeSettings(S3_PROXY.settings(S3ProxyExtension.freshBucketName()))));
        }
        Config upload = testKit.system().settings().config().getConfig("spindle.artifacts.upload");
        ArtifactUploader failing = new ArtifactUploader(testKit.system(), gone, catalog, upload, Clock.systemUTC());
        String jobId = "job-" + UUID.randomUUID();

        SpindleException e = failure(failing.upload(job(jobId, List.of(new DeclaredArtifact("out.txt", "text", null)))));

        assertEquals(ErrorCode.UNAVAILABLE, e.error().code());
        assertEquals(List.of(), await(catalog.artifactsOfJob(jobId)));
    }

    private ArtifactUpload job(String jobId, List<DeclaredArtifact> declared) {
        return new ArtifactUpload(jobId, 1, "cfg", 1, "w", "node-a", scratch, declared, List.of());
    }

    private void assertRejected(String path, String reason) {
        SpindleException e = failure(uploader.upload(job("job-" + UUID.randomUUID(),
                List.of(new DeclaredArtifact(path, "text", null)))));
        assertEquals(ErrorCode.INVALID_REQUEST, e.error().code(), path);
        assertEquals(reason, e.error().details().get("reason"), path);
    }
}
