package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.node.job.JobIds;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobSubmitTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "submit-echo";

    private ApiClient api;
    private int ticketsBefore;

    @BeforeAll
    static void configs() {
        NODE.config(CONFIG, "cpu.echo", "text.*");
    }

    @BeforeEach
    void setUp() {
        api = NODE.api();
        ticketsBefore = NODE.queue().tickets().size();
    }

    private static String spec(String extra) {
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {\"text\": \"hi\"}" + extra + "}";
    }

    @Test
    void submitCreatesAQueuedJobOnTheConfigsCurrentVersion() {
        ApiResponse r = api.post("/jobs", spec(", \"priority\": 7, \"labels\": {\"team\": \"ml\"}")).expect(201);

        JsonNode job = r.json();
        String id = job.get("id").asText();
        assertTrue(JobIds.isWellFormed(id));
        assertEquals("queued", job.get("status").asText());
        assertEquals("cpu.echo", job.get("type").asText());
        assertEquals(CONFIG, job.get("config_id").asText());
        assertEquals(1, job.get("config_version").asInt());
        assertEquals(7, job.get("priority").asInt());
        assertEquals(3, job.get("max_attempts").asInt(), "defaults are filled in");
        assertEquals("ml", job.get("labels").get("team").asText());
        assertEquals("hi", job.get("input").get("text").asText());
        assertTrue(r.header("Location").orElseThrow().endsWith("/jobs/" + id));
        assertEquals(1, NODE.queue().ticketsOf(id), "the job is queued");
        assertEquals(job, api.get("/jobs/" + id).expect(200).json(), "read-your-writes");
    }

    @Test
    void aTypeServedByANamespacePatternIsAccepted() {
        api.post("/jobs", spec("").replace("cpu.echo", "text.generate")).expect(201);
    }

    @Test
    void invalidFieldsAreNamed() {
        ApiResponse r = api.post("/jobs", "{\"type\": \"nope\", \"config_id\": \"" + CONFIG + "\", \"input\": [], \"priority\": 12,"
                + " \"max_attempts\": 0, \"timeout_seconds\": -1, \"labels\": {\"9bad\": \"x\"}}");

        r.expectInvalidField("type");
        r.expectInvalidField("input");
        r.expectInvalidField("priority");
        r.expectInvalidField("max_attempts");
        r.expectInvalidField("timeout_seconds");
        r.expectInvalidField("labels.9bad");
        assertNothingSubmitted();
    }

    @Test
    void missingFieldsAreNamed() {
        ApiResponse r = api.post("/jobs", "{}");

        assertTrue(r.expectInvalidField("type").contains("required"));
        r.expectInvalidField("config_id");
        r.expectInvalidField("input");
        assertNothingSubmitted();
    }

    @Test
    void wrongJsonTypesAreNamedNotCoerced() {
        assertEquals("must be an integer", api.post("/jobs", spec(", \"priority\": \"5\"")).expectInvalidField("priority"));
        assertEquals("must be an integer", api.post("/jobs", spec(", \"priority\": 5.5")).expectInvalidField("priority"));
        assertEquals("must be an integer", api.post("/jobs", spec(", \"max_attempts\": true")).expectInvalidField("max_attempts"));
        assertEquals("must be a string", api.post("/jobs", spec(", \"labels\": {\"team\": 1}")).expectInvalidField("labels.team"));
        assertEquals("must not be null", api.post("/jobs", spec(", \"labels\": {\"team\": null}")).expectInvalidField("labels.team"));
        assertEquals("must be a JSON object", api.post("/jobs", spec(", \"labels\": [\"team\"]")).expectInvalidField("labels"));
        assertEquals("must be a string", api.post("/jobs", spec("").replace("\"cpu.echo\"", "42")).expectInvalidField("type"));
        api.post("/jobs", spec("").replace("{\"text\": \"hi\"}", "\"hi\"")).expectInvalidField("input");
        assertTrue(api.post("/jobs", spec(", \"priority\": 99999999999")).expectInvalidField("priority").contains("out of range"));
        api.post("/jobs", "[1, 2]").expectInvalidField("body");
        api.post("/jobs", "\"job\"").expectInvalidField("body");
        assertNothingSubmitted();
    }

    @Test
    void unknownFieldsAreNamed() {
        assertTrue(api.post("/jobs", spec(", \"colour\": \"red\"")).expectInvalidField("colour").contains("known fields are"));
        assertNothingSubmitted();
    }

    @Test
    void malformedJsonIsNamedWithItsPlace() {
        assertTrue(api.post("/jobs", "{\"type\": \"cpu.echo\", ").expectInvalidField("body").startsWith("malformed JSON"));
        assertTrue(api.post("/jobs", spec("").replace("{\"text\": \"hi\"}", "{\"text\": hi}")).expectInvalidField("input.text")
                .startsWith("malformed JSON"));
        api.post("/jobs", spec("") + " trailing").expectInvalidField("body");
        api.post("/jobs", "").expectInvalidField("body");
        assertNothingSubmitted();
    }

    @Test
    void inputMayHoldAnyJsonIncludingNulls() {
        JsonNode job = api.post("/jobs", spec("").replace("{\"text\": \"hi\"}", "{\"a\": null, \"b\": [1, null, \"x\"]}")).expect(201).json();

        assertTrue(job.get("input").get("a").isNull());
    }

    @Test
    void anUnknownConfigIsNotFound() {
        JsonNode error = api.post("/jobs", spec("").replace(CONFIG, "no-such-config")).expectError(404, "config_not_found");

        assertEquals("no-such-config", error.get("details").get("config_id").asText());
        assertNothingSubmitted();
    }

    @Test
    void aTypeTheConfigDoesNotServeIsAConflict() {
        JsonNode error = api.post("/jobs", spec("").replace("cpu.echo", "image.generate")).expectError(409, "job_type_not_served");

        assertEquals("cpu.echo", error.get("details").get("job_types").get(0).asText());
        assertNothingSubmitted();
    }

    @Test
    void anInactiveConfigIsAConflict() {
        String inactive = "submit-inactive";
        NODE.config(inactive, "cpu.echo");
        api.patch("/configs/" + inactive, "{\"is_active\": false}").expect(200);

        api.post("/jobs", spec("").replace(CONFIG, inactive)).expectError(409, "config_inactive");
        assertNothingSubmitted();

        api.patch("/configs/" + inactive, "{\"is_active\": true}").expect(200);
        api.post("/jobs", spec("").replace(CONFIG, inactive)).expect(201);
    }

    @Test
    void jobsRunOnTheVersionCurrentWhenSubmitted() {
        String versioned = "submit-versioned";
        NODE.config(versioned, "cpu.echo");
        api.patch("/configs/" + versioned, "{\"params\": {\"v\": 2}}").expect(200);

        assertEquals(2, api.post("/jobs", spec("").replace(CONFIG, versioned)).expect(201).json().get("config_version").asInt());
    }

    @Test
    void theIdempotencyKeyHeaderReturnsTheSameJob() {
        String key = "key-" + UUID.randomUUID();

        JsonNode first = api.post("/jobs", spec(""), "Idempotency-Key", key).expect(201).json();
        ApiResponse again = api.post("/jobs", spec(", \"priority\": 9"), "Idempotency-Key", key).expect(200);

        assertEquals(first.get("id").asText(), again.json().get("id").asText());
        assertEquals(5, again.json().get("priority").asInt(), "the key wins: the first job is returned unchanged");
        assertEquals(key, first.get("idempotency_key").asText());
        assertTrue(again.header("Location").orElseThrow().endsWith("/jobs/" + first.get("id").asText()));
        assertEquals(1, NODE.queue().ticketsOf(first.get("id").asText()));
        assertEquals(JobIds.fromIdempotencyKey(CONFIG, key), first.get("id").asText());
    }

    @Test
    void theIdempotencyKeyFieldWorksTheSameAndMustAgreeWithTheHeader() {
        String key = "key-" + UUID.randomUUID();

        String id = api.post("/jobs", spec(", \"idempotency_key\": \"" + key + "\"")).expect(201).json().get("id").asText();
        assertEquals(id, api.post("/jobs", spec(""), "Idempotency-Key", key).expect(200).json().get("id").asText());
        api.post("/jobs", spec(", \"idempotency_key\": \"" + key + "\""), "Idempotency-Key", key).expect(200);

        assertTrue(api.post("/jobs", spec(", \"idempotency_key\": \"a\""), "Idempotency-Key", "b").expectInvalidField("idempotency_key")
                .contains("Idempotency-Key"));
        api.post("/jobs", spec(", \"idempotency_key\": \"has space\"")).expectInvalidField("idempotency_key");
        assertNotEquals(id, api.post("/jobs", spec("")).expect(201).json().get("id").asText(), "no key: a new job each time");
    }

    @Test
    void aJobSubmittedWithoutAKeyGetsATimeOrderedKeyAndAnIdThatSortsAfterTheLastOnes() throws InterruptedException {
        ApiResponse first = api.post("/jobs", spec("")).expect(201);
        Thread.sleep(2);
        ApiResponse second = api.post("/jobs", spec("")).expect(201);

        String key = first.header("Idempotency-Key").orElseThrow();
        assertEquals(7, UUID.fromString(key).version(), "the key made for it: " + key);
        assertEquals(key, first.json().get("idempotency_key").asText());
        String firstId = first.json().get("id").asText();
        assertEquals(JobIds.fromIdempotencyKey(CONFIG, key), firstId, "a retry with the key reaches the job");
        assertEquals(key.substring(0, 13), firstId.substring(0, 13), "the id begins with the key's time");
        String secondId = second.json().get("id").asText();
        assertTrue(firstId.compareTo(secondId) < 0, firstId + " then " + secondId);
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        api.post("/jobs", "type=cpu.echo", "Content-Type", "application/x-www-form-urlencoded").expectError(415, "unsupported_media_type");
        api.post("/jobs", spec(""), "Content-Type", "text/plain").expectError(415, "unsupported_media_type");
        api.post("/jobs", spec(""), "Content-Type", "application/json; charset=utf-8").expect(201);
        assertEquals(ticketsBefore + 1, NODE.queue().tickets().size());
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        long limit = NODE.settings().maxBodyBytes();
        String big = spec("").replace("\"hi\"", "\"" + "x".repeat((int) limit) + "\"");

        JsonNode error = api.post("/jobs", big).expectError(413, "payload_too_large");

        assertEquals(limit, error.get("details").get("limit_bytes").asLong());
        assertNothingSubmitted();
    }

    @Test
    void queryParametersAreRefused() {
        api.post("/jobs?dry_run=true", spec("")).expectInvalidField("dry_run");
        assertNothingSubmitted();
    }

    private void assertNothingSubmitted() {
        assertEquals(ticketsBefore, NODE.queue().tickets().size(), "a refused submission queues nothing");
    }
}
