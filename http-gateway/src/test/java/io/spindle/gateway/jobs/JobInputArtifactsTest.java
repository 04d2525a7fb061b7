package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.artifact.Artifact;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job whose input references artifacts ({@code {"artifact_id": …}}) is accepted only when every one exists. */
class JobInputArtifactsTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "inputs-echo";
    /** spindle.artifacts.inputs.max-references in reference.conf. */
    private static final int MAX_REFERENCES = 32;

    private ApiClient api;
    private int ticketsBefore;

    @BeforeAll
    static void configs() {
        NODE.config(CONFIG, "video.slideshow");
        GatewayTestNode.await(NODE.artifactCatalog().putArtifacts(List.of(artifact("art_known1"), artifact("art_known2"))));
    }

    private static Artifact artifact(String id) {
        return new Artifact(id, "job-earlier", 1, CONFIG, 1, "image", "image/png", 3, null, "s3://memory/x/" + id + "/a.png",
                "w", "n", Instant.now(), List.of());
    }

    @BeforeEach
    void setUp() {
        api = NODE.api();
        ticketsBefore = NODE.queue().tickets().size();
    }

    private static String spec(String input) {
        return "{\"type\": \"video.slideshow\", \"config_id\": \"" + CONFIG + "\", \"input\": " + input + "}";
    }

    @Test
    void aJobReferencingExistingArtifactsIsCreatedWithItsInputAsSubmitted() {
        String input = "{\"images\": [{\"artifact_id\": \"art_known1\"}, {\"artifact_id\": \"art_known2\"}],"
                + " \"audio\": {\"artifact_id\": \"art_known1\"}}";

        ApiResponse r = api.post("/jobs", spec(input)).expect(201);

        assertEquals("art_known2", r.json().get("input").get("images").get(1).get("artifact_id").asText());
        assertFalse(r.json().get("input").get("audio").has("path"));
        assertEquals(ticketsBefore + 1, NODE.queue().tickets().size());
    }

    @Test
    void aReferenceToAnUnknownArtifactIsRefusedNamingItsPathAndId() {
        ApiResponse r = api.post("/jobs", spec("{\"images\": [{\"artifact_id\": \"art_known1\"}, {\"artifact_id\": \"art_nope\"}],"
                + " \"audio\": {\"artifact_id\": \"art_missing\"}}"));

        assertTrue(r.expectInvalidField("input.images[1].artifact_id").contains("art_nope"), r.body());
        assertTrue(r.expectInvalidField("input.audio.artifact_id").contains("art_missing"), r.body());
        assertFalse(r.body().contains("input.images[0]"), "the existing one is not named");
        assertNothingSubmitted();
    }

    @Test
    void aMalformedReferenceIsRefused() {
        ApiResponse r = api.post("/jobs", spec("{\"audio\": {\"artifact_id\": 12}}"));

        r.expectInvalidField("input.audio.artifact_id");
        assertNothingSubmitted();
    }

    @Test
    void moreReferencesThanAllowedAreRefused() {
        String many = IntStream.range(0, MAX_REFERENCES + 1).mapToObj(i -> "{\"artifact_id\": \"art_known1\"}")
                .collect(Collectors.joining(", ", "{\"images\": [", "]}"));

        ApiResponse r = api.post("/jobs", spec(many));

        assertTrue(r.expectInvalidField("input").contains("at most " + MAX_REFERENCES), r.body());
        assertNothingSubmitted();
    }

    @Test
    void aBatchRefusesOnlyTheJobWithTheUnknownReference() {
        String batch = "{\"jobs\": [" + spec("{\"audio\": {\"artifact_id\": \"art_known2\"}}") + ", "
                + spec("{\"audio\": {\"artifact_id\": \"art_gone\"}}") + "]}";

        ApiResponse r = api.post("/jobs/batch", batch).expect(200);

        assertTrue(r.body().contains("art_gone"), r.body());
        assertEquals(ticketsBefore + 1, NODE.queue().tickets().size(), "the valid one is queued");
    }

    private void assertNothingSubmitted() {
        assertEquals(ticketsBefore, NODE.queue().tickets().size(), "a refused submission queues nothing");
    }
}
