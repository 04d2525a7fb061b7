package io.spindle.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDownloadTest {
    // Larger than the copy buffer, so the bytes arrive and are hashed in several pieces.
    private static final int SIZE = 300_000;

    @TempDir
    Path dir;

    @AutoClose
    private final FakeApi api = new FakeApi();
    private byte[] content;

    @BeforeEach
    void makeContent() {
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String artifactJson(String id, String sha, long size) {
        return "{\"id\":\"" + id + "\",\"job_id\":\"j1\",\"attempt\":1,\"config_id\":\"echo-v1\",\"kind\":\"image\","
                + "\"mime\":\"image/png\",\"size\":" + size + ",\"sha256\":\"" + sha + "\",\"uri\":\"s3://b/a/out.png\","
                + "\"created_at\":\"2026-11-28T10:00:00Z\",\"parent_ids\":[],\"parents\":[]}";
    }

    private void serve(String metadataSha) {
        api.onJson("GET", "/artifacts/a1", 200, artifactJson("a1", metadataSha, SIZE));
        api.on("GET", "/artifacts/a1/bytes", (r, x) -> FakeApi.send(x, 200, "image/png", content));
    }

    @Test
    void savesBytesThatMatchTheirSha256() throws Exception {
        serve(sha256(content));
        Path target = dir.resolve("out.png");
        ArtifactDownload.Saved saved = ArtifactDownload.save(new SpindleClient(api.uri(), null), "a1", target);
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals(SIZE, saved.bytes());
        assertEquals(sha256(content), saved.sha256());
        assertEquals(1, files(), "only the target, no temporary file left");
    }

    @Test
    void refusesBytesThatDoNotMatchAndLeavesNothing() throws Exception {
        String wrong = sha256("something else".getBytes(StandardCharsets.UTF_8));
        serve(wrong);
        Path target = dir.resolve("out.png");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> ArtifactDownload.save(new SpindleClient(api.uri(), null), "a1", target));
        assertEquals(wrong, e.expected());
        assertEquals(sha256(content), e.actual());
        assertFalse(Files.exists(target));
        assertEquals(0, files());
    }

    @Test
    void aMismatchDoesNotReplaceAnExistingFile() throws Exception {
        serve(sha256(new byte[] {1}));
        Path target = Files.writeString(dir.resolve("out.png"), "keep me");
        assertThrows(ChecksumMismatchException.class, () -> ArtifactDownload.save(new SpindleClient(api.uri(), null), "a1", target));
        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void missingBytesAreNotFound() throws Exception {
        api.onJson("GET", "/artifacts/a1", 200, artifactJson("a1", sha256(content), SIZE));
        api.on("GET", "/artifacts/a1/bytes", FakeApi.error(404, "artifact_not_found", "the bytes of artifact 'a1' are gone"));
        ApiException e = assertThrows(ApiException.class,
                () -> ArtifactDownload.save(new SpindleClient(api.uri(), null), "a1", dir.resolve("out.png")));
        assertEquals("artifact_not_found", e.code());
        assertEquals(0, files());
    }

    private long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
