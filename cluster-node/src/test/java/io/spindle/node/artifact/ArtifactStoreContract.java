package io.spindle.node.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ArtifactStore} shares; each implementation's test extends this, so
 * the in-memory store stays a faithful stand-in for the S3 one.
 */
public abstract class ArtifactStoreContract {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    /** The store under test; keys of each test are under their own random prefix. */
    abstract ArtifactStore store();

    abstract ActorTestKit testKit();

    @Test
    void putThenGetReturnsTheSameBytesAndDigest() throws Exception {
        byte[] content = randomBytes(70_000);
        Path file = write("out.png", content);
        String key = freshKey("out.png");

        StoredObject stored = await(store().put(key, file, "image/png"));

        assertEquals(key, stored.key());
        assertEquals(content.length, stored.size());
        assertEquals(sha256(content), stored.sha256());
        assertFalse(stored.etag().isEmpty());
        ObjectContent got = await(store().get(key, Optional.empty()));
        assertEquals(new ObjectInfo(key, content.length, "image/png", stored.etag()), got.info());
        assertEquals(Optional.empty(), got.range());
        assertEquals(content.length, got.contentLength());
        assertArrayEquals(content, collect(got.bytes()));
    }

    @Test
    void anEmptyFileIsStoredToo() throws Exception {
        String key = freshKey("empty.txt");

        StoredObject stored = await(store().put(key, write("empty.txt", new byte[0]), "text/plain"));

        assertEquals(0, stored.size());
        assertEquals(sha256(new byte[0]), stored.sha256());
        assertEquals(0, await(store().head(key)).orElseThrow().size());
        assertArrayEquals(new byte[0], collect(await(store().get(key, Optional.empty())).bytes()));
        // No byte range of an empty object can be served.
        assertEquals(ErrorCode.RANGE_NOT_SATISFIABLE,
                failure(store().get(key, Optional.of(ByteRange.createSuffix(1)))).error().code());
    }

    @Test
    void headDescribesAStoredObject() throws Exception {
        Path file = write("notes.txt", "hello".getBytes());
        String key = freshKey("notes.txt");
        StoredObject stored = await(store().put(key, file, "text/plain; charset=UTF-8"));

        ObjectInfo info = await(store().head(key)).orElseThrow();

        assertEquals(5, info.size());
        assertEquals("text/plain; charset=UTF-8", info.contentType());
        assertEquals(stored.etag(), info.etag());
    }

    @Test
    void putReplacesWhatIsAtTheKey() throws Exception {
        String key = freshKey("a.json");
        await(store().put(key, write("first.json", "{\"v\":1}".getBytes()), "application/json"));
        byte[] second = "{\"v\":22}".getBytes();
        await(store().put(key, write("second.json", second), "application/json"));

        assertArrayEquals(second, collect(await(store().get(key, Optional.empty())).bytes()));
    }

    @Test
    void rangeGetReturnsTheSliceTheSuffixAndTheTail() throws Exception {
        byte[] content = randomBytes(10_000);
        String key = freshKey("blob.bin");
        await(store().put(key, write("blob.bin", content), "application/octet-stream"));

        ObjectContent slice = await(store().get(key, Optional.of(ByteRange.createSlice(100, 199))));
        assertEquals(Optional.of(new ResolvedRange(100, 199)), slice.range());
        assertEquals(100, slice.contentLength());
        assertArrayEquals(Arrays.copyOfRange(content, 100, 200), collect(slice.bytes()));

        ObjectContent suffix = await(store().get(key, Optional.of(ByteRange.createSuffix(16))));
        assertEquals(Optional.of(new ResolvedRange(9_984, 9_999)), suffix.range());
        assertArrayEquals(Arrays.copyOfRange(content, 9_984, 10_000), collect(suffix.bytes()));

        ObjectContent tail = await(store().get(key, Optional.of(ByteRange.createFromOffset(9_000))));
        assertArrayEquals(Arrays.copyOfRange(content, 9_000, 10_000), collect(tail.bytes()));

        // A slice running past the end is clamped to the last byte, as HTTP ranges are.
        ObjectContent clamped = await(store().get(key, Optional.of(ByteRange.createSlice(9_990, 20_000))));
        assertEquals(Optional.of(new ResolvedRange(9_990, 9_999)), clamped.range());
        assertArrayEquals(Arrays.copyOfRange(content, 9_990, 10_000), collect(clamped.bytes()));
        assertEquals(10_000, clamped.info().size());
    }

    @Test
    void rangeStartingPastTheEndIsNotSatisfiable() throws Exception {
        String key = freshKey("small.bin");
        await(store().put(key, write("small.bin", randomBytes(10)), "application/octet-stream"));

        SpindleException e = failure(store().get(key, Optional.of(ByteRange.createFromOffset(10))));

        assertEquals(ErrorCode.RANGE_NOT_SATISFIABLE, e.error().code());
    }

    @Test
    void missingKeyIsATypedNotFound() throws Exception {
        String key = freshKey("nothing-here.png");

        SpindleException e = failure(store().get(key, Optional.empty()));

        assertEquals(ErrorCode.ARTIFACT_NOT_FOUND, e.error().code());
        assertEquals(key, e.error().details().get("key"));
        assertEquals(Optional.empty(), await(store().head(key)));
    }

    @Test
    void deleteRemovesTheObjectAndForgivesAMissingOne() throws Exception {
        String key = freshKey("gone.txt");
        await(store().put(key, write("gone.txt", "bye".getBytes()), "text/plain"));

        await(store().delete(key));
        await(store().delete(key));

        assertEquals(Optional.empty(), await(store().head(key)));
    }

    @Test
    void listReturnsTheKeysUnderAPrefix() throws Exception {
        String dir = "list-" + UUID.randomUUID();
        Path file = write("x.txt", "x".getBytes());
        for (String name : List.of("a/1.txt", "a/2.txt", "b/3.txt")) {
            await(store().put(dir + "/" + name, file, "text/plain"));
        }

        List<String> underA = await(store().list(dir + "/a/").runWith(Sink.seq(), testKit().system()));
        List<String> all = await(store().list(dir + "/").runWith(Sink.seq(), testKit().system()));

        assertEquals(List.of(dir + "/a/1.txt", dir + "/a/2.txt"), underA);
        assertEquals(List.of(dir + "/a/1.txt", dir + "/a/2.txt", dir + "/b/3.txt"), all);
    }

    @Test
    void uriNamesTheBucketAndKeyOfInvertsIt() {
        String key = "cfg/job-1/1/art_1/out.png";

        String uri = store().uri(key);

        assertTrue(uri.startsWith("s3://"), uri);
        assertTrue(uri.endsWith("/" + key), uri);
        assertEquals(Optional.of(key), store().keyOf(uri));
        assertEquals(Optional.empty(), store().keyOf("s3://some-other-bucket/" + key));
        assertEquals(Optional.empty(), store().keyOf("https://example.invalid/" + key));
    }

    @Test
    void keysThatClimbOrAreAbsoluteAreRefused() throws Exception {
        Path file = write("k.txt", "k".getBytes());
        for (String bad : List.of("../escape.txt", "/abs.txt", "a//b.txt", "a/./b.txt", "dir/")) {
            SpindleException e = failure(store().put(bad, file, "text/plain"));
            assertEquals(ErrorCode.INVALID_REQUEST, e.error().code(), bad);
        }
    }

    @Test
    void anInvalidMediaTypeIsRefused() throws Exception {
        SpindleException e = failure(store().put(freshKey("m.bin"), write("m.bin", "m".getBytes()), "not a media type"));

        assertEquals(ErrorCode.INVALID_REQUEST, e.error().code());
    }

    @Test
    void aMissingFileOrADirectoryIsRefused() {
        SpindleException missing = failure(store().put(freshKey("m.bin"), tmp.resolve("does-not-exist.bin"), "image/png"));
        SpindleException directory = failure(store().put(freshKey("d.bin"), tmp, "image/png"));

        assertEquals(ErrorCode.INVALID_REQUEST, missing.error().code());
        assertEquals(ErrorCode.INVALID_REQUEST, directory.error().code());
    }

    // ---- helpers shared by the store tests ----

    String freshKey(String name) {
        return "test-" + UUID.randomUUID() + "/" + name;
    }

    Path write(String name, byte[] content) throws IOException {
        Path file = tmp.resolve(UUID.randomUUID() + "-" + name);
        Files.write(file, content);
        return file;
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    byte[] collect(Source<ByteString, ?> bytes) throws Exception {
        return await(bytes.runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit().system()))
                .toArray();
    }

    public static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The typed failure the stage completes with. */
    static SpindleException failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(SpindleException.class, e.getCause(), () -> "failed with " + e.getCause());
    }
}
