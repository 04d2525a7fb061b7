package io.spindle.gateway.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.artifact.Artifact;
import io.spindle.node.artifact.StoredObject;
import io.spindle.node.job.JobIds;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Artifact metadata and lineage from the artifact catalog, bytes from the (in-memory) artifact store. */
class ArtifactRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "artifacts-cfg";
    private static final String TEXT = "0123456789abcdefghij";

    @TempDir
    static Path dir;
    private static String jobId;
    private static Artifact parent;
    private static Artifact child;

    private ApiClient api;

    @BeforeAll
    static void storeArtifacts() throws IOException {
        jobId = JobIds.newId();
        parent = store("a-parent-" + jobId, "parent.txt", TEXT, "text/plain; charset=UTF-8", List.of(), Instant.parse("2026-01-01T00:00:00Z"));
        child = store("a-child-" + jobId, "child.txt", TEXT.toUpperCase(), "text/plain; charset=UTF-8", List.of(parent.id(), "gone"),
                Instant.parse("2026-01-01T00:00:01Z"));
    }

    @BeforeEach
    void setUp() {
        api = NODE.api();
    }

    private static Artifact store(String id, String file, String content, String mime, List<String> parents, Instant at) throws IOException {
        Path path = Files.writeString(dir.resolve(file), content);
        String key = CONFIG + "/" + jobId + "/1/" + id + "/" + file;
        StoredObject stored = GatewayTestNode.await(NODE.artifacts().put(key, path, mime));
        Artifact artifact = new Artifact(id, jobId, 1, CONFIG, 1, "text", mime, stored.size(), stored.sha256(), NODE.artifacts().uri(key),
                "w1", "node-x", at, parents);
        GatewayTestNode.await(NODE.artifactCatalog().putArtifacts(List.of(artifact)));
        return artifact;
    }

    @Test
    void aJobsArtifactsAreListedOldestFirst() {
        JsonNode body = api.get("/jobs/" + jobId + "/artifacts").expect(200).json();

        assertEquals(jobId, body.get("job_id").asText());
        assertEquals(parent.id(), body.get("artifacts").get(0).get("id").asText());
        assertEquals(child.id(), body.get("artifacts").get(1).get("id").asText());
        assertEquals(TEXT.length(), body.get("artifacts").get(0).get("size").asInt());
    }

    @Test
    void aJobWithoutArtifactsHasAnEmptyListAndAnUnknownJobIsNotFound() {
        NODE.config(CONFIG, "cpu.echo");
        String id = api.post("/jobs", "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {}}").expect(201)
                .json().get("id").asText();

        assertEquals(0, api.get("/jobs/" + id + "/artifacts").expect(200).json().get("artifacts").size());
        api.get("/jobs/" + JobIds.newId() + "/artifacts").expectError(404, "job_not_found");
        api.get("/jobs/nope/artifacts").expectError(404, "job_not_found");
    }

    @Test
    void anArtifactShowsItsMetadataAndTheParentsItDerivesFrom() {
        JsonNode body = api.get("/artifacts/" + child.id()).expect(200).json();

        assertEquals(child.id(), body.get("id").asText());
        assertEquals(jobId, body.get("job_id").asText());
        assertEquals(child.sha256(), body.get("sha256").asText());
        assertEquals("w1", body.get("worker").asText());
        assertEquals(List.of(parent.id(), "gone"), List.of(body.get("parent_ids").get(0).asText(), body.get("parent_ids").get(1).asText()));
        assertEquals(1, body.get("parents").size(), "parents the read model no longer has are skipped");
        assertEquals(parent.id(), body.get("parents").get(0).get("id").asText());
        assertEquals(0, body.get("children").size());
        api.get("/artifacts/no-such-artifact").expectError(404, "artifact_not_found");
    }

    @Test
    void anArtifactListsTheChildrenMadeFromIt() {
        JsonNode body = api.get("/artifacts/" + parent.id()).expect(200).json();

        assertEquals(0, body.get("parents").size());
        assertEquals(1, body.get("children").size());
        assertEquals(child.id(), body.get("children").get(0).get("id").asText());
        assertEquals(child.sha256(), body.get("children").get(0).get("sha256").asText());
    }

    @Test
    void bytesStreamWithTypeLengthAndTheirDigestAsETag() {
        ApiResponse r = api.get("/artifacts/" + parent.id() + "/bytes").expect(200);

        assertEquals(TEXT, r.body());
        assertEquals("text/plain; charset=UTF-8", r.header("Content-Type").orElseThrow());
        assertEquals(Integer.toString(TEXT.length()), r.header("Content-Length").orElseThrow());
        assertEquals("\"" + parent.sha256() + "\"", r.header("ETag").orElseThrow());
        assertEquals("bytes", r.header("Accept-Ranges").orElseThrow());
    }

    @Test
    void bytesReplacedBehindTheNodesBackAreAnErrorNeverTheWrongBytesUnderTheRecordedETag() throws Exception {
        Artifact victim = store("a-victim-" + jobId, "victim.txt", TEXT, "text/plain", List.of(), Instant.parse("2026-01-01T00:00:02Z"));
        String key = NODE.artifacts().keyOf(victim.uri()).orElseThrow();
        // Same size, other bytes: only the digest tells them apart.
        GatewayTestNode.await(NODE.artifacts().put(key, Files.writeString(dir.resolve("evil.txt"), TEXT.toUpperCase()), "text/plain"));
        HttpRequest get = HttpRequest.newBuilder(api.uri("/artifacts/" + victim.id() + "/bytes"))
                .GET().build();

        IOException cut = assertThrows(IOException.class, () -> api.http().send(get, HttpResponse.BodyHandlers.ofString()));

        assertTrue(cut.getMessage() != null, "the response ended short of its Content-Length");
        assertTrue(api.get("/metrics").expect(200).body().contains("spindle_artifact_integrity_failures_total"), "counted");

        // Another size: refused before any byte, in the error shape.
        GatewayTestNode.await(NODE.artifacts().put(key, Files.writeString(dir.resolve("evil.txt"), TEXT + "!"), "text/plain"));
        api.get("/artifacts/" + victim.id() + "/bytes").expectError(500, "internal");
    }

    @Test
    void aSingleRangeIsPartialContent() {
        ApiResponse slice = api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=2-5").expect(206);
        assertEquals("2345", slice.body());
        assertEquals("bytes 2-5/" + TEXT.length(), slice.header("Content-Range").orElseThrow());
        assertEquals("4", slice.header("Content-Length").orElseThrow());

        assertEquals("hij", api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=-3").expect(206).body());
        assertEquals("ghij", api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=16-").expect(206).body());
        assertEquals("ij", api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=18-99").expect(206).body());
    }

    @Test
    void severalRangesOrAnUnparsableOneGetTheWholeContent() {
        assertEquals(TEXT, api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=0-1,4-5").expect(200).body());
        assertEquals(TEXT, api.get("/artifacts/" + parent.id() + "/bytes", "Range", "pages=1").expect(200).body());
    }

    @Test
    void aRangePastTheEndIsNotSatisfiable() {
        ApiResponse r = api.get("/artifacts/" + parent.id() + "/bytes", "Range", "bytes=50-60");

        r.expectError(416, "range_not_satisfiable");
        assertEquals("bytes */" + TEXT.length(), r.header("Content-Range").orElseThrow());
    }

    @Test
    void aMatchingIfNoneMatchIsNotModified() {
        ApiResponse r = api.get("/artifacts/" + parent.id() + "/bytes", "If-None-Match", "\"" + parent.sha256() + "\"").expect(304);

        assertEquals("\"" + parent.sha256() + "\"", r.header("ETag").orElseThrow());
        api.get("/artifacts/" + parent.id() + "/bytes", "If-None-Match", "\"other\"").expect(200);
    }

    @Test
    void missingBytesOrArtifactsAreNotFound() throws IOException {
        api.get("/artifacts/no-such-artifact/bytes").expectError(404, "artifact_not_found");

        Artifact gone = store("a-gone-" + jobId, "gone.txt", "x", "text/plain", List.of(), Instant.now());
        GatewayTestNode.await(NODE.artifacts().delete(NODE.artifacts().keyOf(gone.uri()).orElseThrow()));
        api.get("/artifacts/" + gone.id() + "/bytes").expectError(404, "artifact_not_found");

        Artifact elsewhere = new Artifact("a-elsewhere-" + jobId, jobId, 1, CONFIG, 1, "text", "text/plain", 1, "00", "s3://other-bucket/x",
                "w1", "node-x", Instant.now(), List.of());
        GatewayTestNode.await(NODE.artifactCatalog().putArtifacts(List.of(elsewhere)));
        api.get("/artifacts/" + elsewhere.id() + "/bytes").expectError(404, "artifact_not_found");
    }

    @Test
    void anEmptyArtifactHasAnEmptyBody() throws IOException {
        Artifact empty = store("a-empty-" + jobId, "empty.bin", "", "application/octet-stream", List.of(), Instant.now());

        ApiResponse r = api.get("/artifacts/" + empty.id() + "/bytes").expect(200);

        assertEquals("", r.body());
        assertEquals("0", r.header("Content-Length").orElseThrow());
        assertTrue(r.body().getBytes(StandardCharsets.UTF_8).length == 0);
    }
}
