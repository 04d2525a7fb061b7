package io.spindle.node.worker;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.InMemoryArtifactStore;
import io.spindle.node.artifact.StoredObject;
import io.spindle.node.testsupport.ExecutionFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.security.MessageDigest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@link Attempt} whose job's input references earlier artifacts: the node fetches them before the run frame, the
 * worker (a real Python SDK worker) reads the files it is given, and the outputs name the inputs as lineage parents.
 */
class AttemptInputsTest {
    /** {@code cpu.digest}: the SHA-256 and mode of every file its input references, and a copy of the first as an output. */
    private static final String DIGEST_WORKER = """
            import hashlib, os, shutil, stat, sys
            import spindle_worker as sw

            class DigestWorker(sw.Worker):
                name = "digest-worker"
                job_types = ["cpu.digest"]

                def execute(self, job, ctx):
                    refs = [v for v in ctx.input.values() if isinstance(v, dict)]
                    refs += [e for v in ctx.input.values() if isinstance(v, list) for e in v if isinstance(e, dict)]
                    files = []
                    for ref in refs:
                        with open(ref["path"], "rb") as f:
                            digest = hashlib.sha256(f.read()).hexdigest()
                        mode = stat.S_IMODE(os.stat(ref["path"]).st_mode)
                        files.append({"artifact_id": ref["artifact_id"], "sha256": digest, "mode": "%o" % mode,
                                      "mime": ref["mime"], "bytes": ref["bytes"], "path": ref["path"]})
                    shutil.copyfile(refs[0]["path"], os.path.join(ctx.scratch_dir, "copy.bin"))
                    ctx.artifact("copy.bin", "file", "application/octet-stream")
                    return {"files": files}

            sys.exit(DigestWorker().serve())
            """;
    private static ExecutionFixture fx;
    private WorkerUnderTest worker;

    @BeforeAll
    static void startNode() {
        fx = ExecutionFixture.start("AttemptInputsTest", new InMemoryJobQueue(), kit -> new InMemoryArtifactStore(kit.system()));
    }

    @AfterAll
    static void stopNode() {
        fx.close();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    private WorkerUnderTest digestWorker() {
        worker = WorkerUnderTest.start(fx, fx.host, fx.pythonScript("digest_worker.py", DIGEST_WORKER));
        return worker;
    }

    /** An artifact of an earlier job holding {@code text}, stored and recorded as the uploader would. */
    private static Artifact earlier(String id, String fileName, String text) throws Exception {
        Path file = Files.writeString(Files.createTempDirectory(fx.dir, "in").resolve(fileName), text);
        String key = "cfg-earlier/job-earlier/1/" + id + "/" + fileName;
        StoredObject stored = fx.store.put(key, file, "text/plain").toCompletableFuture().join();
        Artifact artifact = new Artifact(id, "job-earlier", 1, "cfg-earlier", 1, "text", "text/plain", stored.size(), stored.sha256(),
                fx.store.uri(key), "w", ExecutionFixture.NODE, Instant.now(), List.of());
        fx.catalog.putArtifacts(List.of(artifact)).toCompletableFuture().join();
        return artifact;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theWorkerReadsTheFetchedFilesAndItsOutputsNameThemAsLineageParents() throws Exception {
        earlier("art_attempt_a", "a.txt", "first input");
        earlier("art_attempt_b", "b.txt", "second input");
        WorkerUnderTest w = digestWorker();
        String input = "{\"doc\": {\"artifact_id\": \"art_attempt_a\"}, \"more\": [{\"artifact_id\": \"art_attempt_b\"}]}";
        String id = fx.submit(spec("cpu.digest", w.configId, input));

        w.run(id);

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);
        JsonNode files = done.outputs().get("files");
        assertEquals(2, files.size());
        assertEquals(sha256("first input"), files.get(0).get("sha256").asText());
        assertEquals(sha256("second input"), files.get(1).get("sha256").asText());
        for (JsonNode file : files) {
            assertEquals("600", file.get("mode").asText(), "fetched files are private");
            assertEquals("text/plain", file.get("mime").asText());
            assertTrue(file.get("path").asText().contains("/.inputs/" + file.get("artifact_id").asText() + ".txt"), file.toString());
        }
        assertEquals(12, files.get(1).get("bytes").asLong());
        assertEquals(fx.get(id).input().toString(), ExecutionFixture.spec("cpu.digest", w.configId, input).input().toString(),
                "the job's stored input is as submitted, without the node's paths");
        assertFalse(done.input().get("doc").has("path"));
        Artifact copy = fx.artifact(done.artifactIds().get(0));
        assertEquals(List.of("art_attempt_a", "art_attempt_b"), copy.parentIds());
        assertEquals("first input", new String(fx.bytes(copy), StandardCharsets.UTF_8));
        w.expectReady(1);
        ExecutionFixture.poll(fx::scratchDirsLeft, n -> n == 0, "the scratch dir, inputs included, to be deleted");
    }

    @Test
    void aReferenceToAVanishedArtifactFailsTheJobForGoodWithoutRunningIt() throws Exception {
        Artifact gone = earlier("art_attempt_gone", "gone.txt", "deleted meanwhile");
        ArtifactStore store = fx.store;
        store.delete(store.keyOf(gone.uri()).orElseThrow()).toCompletableFuture().join();
        WorkerUnderTest w = digestWorker();
        String id = fx.submit(spec("cpu.digest", w.configId, "{\"doc\": {\"artifact_id\": \"art_attempt_gone\"}}"));

        w.run(id);

        Job failed = fx.awaitStatus(id, JobStatus.FAILED);
        assertEquals(WorkerErrors.INPUT_ARTIFACT_MISSING, failed.lastError().code());
        assertFalse(failed.lastError().isTransient());
        assertTrue(failed.lastError().message().contains("art_attempt_gone"), failed.lastError().message());
        w.expectReady(1);
        assertEquals(0, fx.restarts(w.configId), "the worker never got the job");
    }

    @Test
    void bytesThatAreNotTheRecordedOnesFailTheAttemptTransiently() throws Exception {
        Artifact changed = earlier("art_attempt_changed", "c.txt", "recorded");
        Path other = Files.writeString(Files.createTempDirectory(fx.dir, "in").resolve("c.txt"), "replaced");
        fx.store.put(fx.store.keyOf(changed.uri()).orElseThrow(), other, "text/plain").toCompletableFuture().join();
        WorkerUnderTest w = digestWorker();
        String id = fx.submit(spec("cpu.digest", w.configId, "{\"doc\": {\"artifact_id\": \"art_attempt_changed\"}}").withMaxAttempts(1));

        w.run(id);

        Job dead = fx.awaitStatus(id, JobStatus.DEAD_LETTERED);
        assertEquals(WorkerErrors.INPUT_FETCH_FAILED, dead.lastError().code());
        assertTrue(dead.lastError().isTransient(), "another attempt may read the right bytes");
        w.expectReady(1);
    }
}
