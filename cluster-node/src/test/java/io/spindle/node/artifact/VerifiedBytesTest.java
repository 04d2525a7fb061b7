package io.spindle.node.artifact;

import static io.spindle.node.artifact.ArtifactStoreContract.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.testsupport.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Reading an object back checked against what was recorded when it was stored, on a real S3Proxy with credentials. */
class VerifiedBytesTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.withCredentials();
    private static ActorTestKit testKit;
    private static S3ArtifactStore store;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        testKit = ActorTestKit.create("VerifiedBytesTest");
        store = await(S3ArtifactStore.open(testKit.system(), S3.settings(S3ProxyExtension.freshBucketName())));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void theRecordedBytesPassUnchanged() throws Exception {
        byte[] content = ArtifactStoreContract.randomBytes(300_000);
        StoredObject stored = await(store.put("v/ok.bin", Files.write(dir.resolve("ok.bin"), content), "application/octet-stream"));

        List<VerifiedBytes.Mismatch> mismatches = new ArrayList<>();
        ByteString read = await(VerifiedBytes.of(await(store.get("v/ok.bin", Optional.empty())).bytes(), stored.size(), stored.sha256(),
                mismatches::add).runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system()));

        assertArrayEquals(content, read.toArray());
        assertEquals(List.of(), mismatches);
    }

    @Test
    void anObjectOverwrittenWithTheBucketsCredentialsFailsBeforeItsLastChunk() throws Exception {
        byte[] content = ArtifactStoreContract.randomBytes(300_000);
        StoredObject stored = await(store.put("v/victim.bin", Files.write(dir.resolve("a.bin"), content), "application/octet-stream"));
        byte[] evil = content.clone();
        evil[evil.length - 1] ^= 1;
        // Behind the node's back: anyone with the keys can replace it (same size, one bit off).
        await(store.put("v/victim.bin", Files.write(dir.resolve("b.bin"), evil), "application/octet-stream"));

        List<VerifiedBytes.Mismatch> mismatches = new ArrayList<>();
        List<ByteString> delivered = new ArrayList<>();
        Source<ByteString, ?> bytes = VerifiedBytes.of(await(store.get("v/victim.bin", Optional.empty())).bytes(), stored.size(),
                stored.sha256(), mismatches::add);
        CompletionException e = assertThrows(CompletionException.class,
                () -> bytes.runForeach(delivered::add, testKit.system()).toCompletableFuture().join());

        assertInstanceOf(VerifiedBytes.Mismatch.class, e.getCause());
        assertEquals(1, mismatches.size());
        long sent = delivered.stream().mapToLong(ByteString::size).sum();
        assertTrue(sent < content.length, "the complete wrong content never went out (" + sent + " of " + content.length + " bytes)");
    }

    @Test
    void anEmptyObjectAndTooManyBytesAreChecked() throws Exception {
        ContentDigest empty = ContentDigest.of(ByteString.emptyByteString());
        assertEquals(List.of(), await(VerifiedBytes.of(Source.empty(), 0, empty.sha256(), m -> { })
                .runWith(Sink.seq(), testKit.system())));
        CompletionException e = assertThrows(CompletionException.class, () -> VerifiedBytes.of(
                Source.single(ByteString.fromString("x")), 0, empty.sha256(), m -> { })
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture().join());
        assertInstanceOf(VerifiedBytes.Mismatch.class, e.getCause());
    }
}
