package io.spindle.node.artifact;

import static io.spindle.node.artifact.ArtifactStoreContract.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.artifact.InMemoryArtifactCatalog;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.json.Json;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Fetching a job's input artifacts from a real S3Proxy into a scratch dir, checked against the catalog's record. */
class InputFetcherTest {
    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.withCredentials();
    private static final int SIZE = 300_000;

    private static ActorTestKit testKit;
    private static S3ArtifactStore store;
    private static ExecutorService blockingIo;
    private final InMemoryArtifactCatalog catalog = new InMemoryArtifactCatalog();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        testKit = ActorTestKit.create("InputFetcherTest");
        store = await(S3ArtifactStore.open(testKit.system(), S3_PROXY.settings(S3ProxyExtension.freshBucketName())));
        blockingIo = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        blockingIo.shutdownNow();
        testKit.shutdownTestKit();
    }

    private InputFetcher fetcher() {
        return new InputFetcher(testKit.system(), store, catalog, new InputSettings(32, 2, ".inputs"), blockingIo);
    }

    /** Stores {@code bytes} as an artifact named {@code fileName} and records it with the size and SHA-256 the store saw. */
    private Artifact stored(String id, String fileName, byte[] bytes, String mime) throws Exception {
        Path file = Files.write(dir.resolve("upload-" + id), bytes);
        String key = "cfg/job/1/" + id + "/" + fileName;
        StoredObject put = await(store.put(key, file, mime));
        Artifact artifact = new Artifact(id, "job-earlier", 1, "cfg", 1, "file", mime, put.size(), put.sha256(), store.uri(key),
                "w", "n", Instant.now(), List.of());
        await(catalog.putArtifacts(List.of(artifact)));
        return artifact;
    }

    private static byte[] randomBytes(long seed) {
        byte[] bytes = new byte[SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static JsonNode input(String json) throws Exception {
        return Json.mapper().readTree(json);
    }

    @Test
    void everyReferencedArtifactIsFetchedPrivatelyIntoTheScratchDirAndNamedInTheRunInput() throws Exception {
        byte[] wav = randomBytes(1);
        byte[] png = randomBytes(2);
        stored("art_in1", "speech.wav", wav, "audio/wav");
        stored("art_in2", "frame.png", png, "image/png");
        Path scratch = PrivateFiles.directory(dir.resolve("scratch"));

        InputFetcher.RunInput run = await(fetcher().fetch(input("""
                {"audio": {"artifact_id": "art_in1"}, "images": [{"artifact_id": "art_in2"}, {"artifact_id": "art_in1"}]}"""), scratch));

        assertEquals(List.of("art_in1", "art_in2"), run.artifactIds());
        Path audio = scratch.resolve(".inputs/art_in1.wav");
        Path image = scratch.resolve(".inputs/art_in2.png");
        assertArrayEquals(wav, Files.readAllBytes(audio));
        assertArrayEquals(png, Files.readAllBytes(image));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(audio)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(audio.getParent())));
        JsonNode reference = run.input().get("audio");
        assertEquals(audio.toString(), reference.get("path").asText());
        assertEquals("audio/wav", reference.get("mime").asText());
        assertEquals(SIZE, reference.get("bytes").asLong());
        assertEquals(image.toString(), run.input().get("images").get(0).get("path").asText());
        assertEquals(audio.toString(), run.input().get("images").get(1).get("path").asText());
    }

    @Test
    void anInputWithoutReferencesIsPassedAsItIs() throws Exception {
        JsonNode plain = input("{\"text\": \"hi\"}");

        InputFetcher.RunInput run = await(fetcher().fetch(plain, dir));

        assertTrue(run.input() == plain && run.artifactIds().isEmpty());
        assertTrue(Files.notExists(dir.resolve(".inputs")), "nothing created");
    }

    @Test
    void bytesThatDifferFromTheRecordedSha256AreATransientFailure() throws Exception {
        Artifact artifact = stored("art_changed", "clip.mp4", randomBytes(3), "video/mp4");
        // The object is overwritten behind the catalog's back: same size, other bytes.
        Path other = Files.write(dir.resolve("other"), randomBytes(4));
        await(store.put(store.keyOf(artifact.uri()).orElseThrow(), other, "video/mp4"));

        SpindleException failure = assertThrows(SpindleException.class,
                () -> await(fetcher().fetch(input("{\"video\": {\"artifact_id\": \"art_changed\"}}"), dir)));

        assertEquals(ErrorCode.UNAVAILABLE, failure.error().code(), failure.getMessage());
        assertTrue(failure.getMessage().contains("art_changed") && failure.getMessage().contains("SHA-256"), failure.getMessage());
    }

    @Test
    void anArtifactWhoseRecordOrBytesAreGoneHasVanished() throws Exception {
        Artifact artifact = stored("art_gone", "speech.wav", randomBytes(5), "audio/wav");
        await(store.delete(store.keyOf(artifact.uri()).orElseThrow()));

        SpindleException bytesGone = assertThrows(SpindleException.class,
                () -> await(fetcher().fetch(input("{\"audio\": {\"artifact_id\": \"art_gone\"}}"), dir)));
        SpindleException neverKnown = assertThrows(SpindleException.class,
                () -> await(fetcher().fetch(input("{\"audio\": {\"artifact_id\": \"art_never\"}}"), dir)));

        assertEquals(ErrorCode.ARTIFACT_NOT_FOUND, bytesGone.error().code(), bytesGone.getMessage());
        assertEquals(ErrorCode.ARTIFACT_NOT_FOUND, neverKnown.error().code(), neverKnown.getMessage());
        assertTrue(neverKnown.getMessage().contains("art_never has vanished"), neverKnown.getMessage());
    }
}
