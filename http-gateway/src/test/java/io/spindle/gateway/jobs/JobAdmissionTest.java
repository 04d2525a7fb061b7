package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.gateway.testsupport.JournalGate;
import io.spindle.node.job.JobIds;
import io.spindle.node.metrics.SpindleMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission control under a saturated store (docs/decisions/0008-admission-control.md): refusals are fast 429s
 * with Retry-After and never 5xx, every 201 is a job that exists, and every refusal a job that does not.
 */
class JobAdmissionTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    /** Jobs of this config are the ones the journal gate holds. */
    private static final String HELD = "admission-held";
    private static final int LIMIT = 2;
    private static final Duration SHORT_ASK = Duration.ofMillis(300);
    /** Far more than a refusal needs and far less than an ask timeout: a refusal must come at once. */
    private static final long FAST_MS = 2_000;

    /** Client threads: each request blocks one until it is answered. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    @BeforeAll
    static void configs() {
        NODE.config(HELD, "cpu.echo");
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    private static ApiClient gateway(int limit, Duration askTimeout) {
        GatewaySettings defaults = NODE.settings();
        return NODE.startGateway(defaults.withAskTimeout(askTimeout)
                .withAdmission(defaults.admission().withFixedLimit(limit).withResolveTimeout(Duration.ofSeconds(10))), List.of());
    }

    private static String spec(String key) {
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + HELD + "\", \"input\": {}, \"idempotency_key\": \"" + key + "\"}";
    }

    private static CompletableFuture<ApiResponse> submitAsync(ApiClient api, String key) {
        return CompletableFuture.supplyAsync(() -> api.post("/jobs", spec(key)), CLIENTS);
    }

    private static String idOf(String key) {
        return JobIds.fromIdempotencyKey(HELD, key);
    }

    /** Submits refused so far because a gateway of the node was saturated (its metric). */
    private static double refusedSoFar() {
        Counter counter = SpindleMetrics.get(NODE.system()).registry().find("spindle_gateway_submits_refused")
                .tag("reason", "saturated").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The 429 shape: the one error body, Retry-After as header and detail. */
    private static void expectOverloaded(ApiResponse r) {
        JsonNode error = r.expectError(429, "overloaded");
        assertEquals("1", r.header("Retry-After").orElse(null), r.body());
        assertEquals(1, error.get("details").get("retry_after_seconds").asInt(), r.body());
    }

    @Test
    void aSaturatedNodeRefusesAtOnceWith429AndEveryCreatedJobExists() throws Exception {
        ApiClient api = gateway(LIMIT, Duration.ofSeconds(10));
        int requests = 10;
        List<String> keys = new ArrayList<>();
        List<CompletableFuture<ApiResponse>> answers = new ArrayList<>();
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            for (int i = 0; i < requests; i++) {
                String key = "admit-" + UUID.randomUUID();
                keys.add(key);
                answers.add(submitAsync(api, key));
            }
            gate.awaitHolding();
            int refused = 0;
            for (CompletableFuture<ApiResponse> answer : answers) {
                try {
                    expectOverloaded(answer.get(FAST_MS, TimeUnit.MILLISECONDS));
                    refused++;
                } catch (TimeoutException heldInTheStore) {
                    // one of the admitted submits
                }
            }
            assertEquals(requests - LIMIT, refused, "all but the admitted submits are refused at once while the store holds them");
            gate.open();

            int created = 0;
            for (int i = 0; i < requests; i++) {
                ApiResponse r = answers.get(i).get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(r.status() < 500, "never 5xx: " + r.body());
                if (r.status() == 201) {
                    created++;
                    assertEquals(idOf(keys.get(i)), r.json().get("id").asText());
                    api.get("/jobs/" + idOf(keys.get(i))).expect(200);
                } else {
                    expectOverloaded(r);
                    api.get("/jobs/" + idOf(keys.get(i))).expectError(404, "job_not_found");
                }
            }
            assertEquals(LIMIT, created);
        }
        api.post("/jobs", spec("after-" + UUID.randomUUID())).expect(201);
    }

    @Test
    void aSubmitWhoseAskTimesOutIsSettledAs201WhenItsJobWasWritten() throws Exception {
        ApiClient api = gateway(8, SHORT_ASK);
        String key = "slow-write-" + UUID.randomUUID();
        CompletableFuture<ApiResponse> answer;
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            answer = submitAsync(api, key);
            gate.awaitHolding();
            Thread.sleep(3 * SHORT_ASK.toMillis());
            assertFalse(answer.isDone(), "a submit whose write is in progress is not answered with a timeout");
        }
        ApiResponse r = answer.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS).expect(201);

        assertEquals(idOf(key), r.json().get("id").asText());
        api.get("/jobs/" + idOf(key)).expect(200);
    }

    @Test
    void aSubmitThatReachesItsEntityAfterItsDeadlineIsRefusedAndNeverCreated() throws Exception {
        ApiClient api = gateway(8, SHORT_ASK);
        String held = "held-" + UUID.randomUUID();
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            CompletableFuture<ApiResponse> heldAnswer = submitAsync(api, held);
            gate.awaitHolding();
            // No idempotency key, so nothing is looked up first: the Submit goes straight to its entity, which
            // cannot even recover while the journal is busy with the held write.
            String unkeyed = "{\"type\": \"cpu.echo\", \"config_id\": \"" + HELD + "\", \"input\": {\"late\": true}}";
            CompletableFuture<ApiResponse> lateAnswer = CompletableFuture.supplyAsync(() -> api.post("/jobs", unkeyed), CLIENTS);
            Thread.sleep(3 * SHORT_ASK.toMillis());
            gate.open();

            heldAnswer.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS).expect(201);
            expectOverloaded(lateAnswer.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            // The 429 came after the entity handled the late Submit (the settling Get queues behind it).
            assertEquals(List.of(idOf(held)), gate.submittedJobIds(), "the late job was never written");
        }
    }

    @Test
    void aBatchGetsItsAdmittedItemsInAndTheRestRefusedPerItem() throws Exception {
        ApiClient api = gateway(LIMIT, Duration.ofSeconds(10));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add("batch-" + UUID.randomUUID());
        }
        String body = "{\"jobs\": [" + String.join(", ", keys.stream().map(JobAdmissionTest::spec).toList()) + "]}";
        CompletableFuture<ApiResponse> answer;
        double refusedBefore = refusedSoFar();
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            answer = CompletableFuture.supplyAsync(() -> api.post("/jobs/batch", body), CLIENTS);
            gate.awaitHolding();
            // The items are admitted one after the other: open only once the last three were refused.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAST_MS);
            while (refusedSoFar() < refusedBefore + 5 - LIMIT && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        JsonNode result = answer.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS).expect(200).json();

        assertEquals(LIMIT, result.get("submitted").asInt(), result::toString);
        assertEquals(5 - LIMIT, result.get("failed").asInt(), result::toString);
        for (JsonNode item : result.get("results")) {
            String id = idOf(keys.get(item.get("index").asInt()));
            if (item.get("status").asInt() == 201) {
                api.get("/jobs/" + id).expect(200);
            } else {
                assertEquals(429, item.get("status").asInt(), item.toString());
                assertEquals("overloaded", item.get("error").get("code").asText());
                api.get("/jobs/" + id).expectError(404, "job_not_found");
            }
        }
    }

    @Test
    void aBatchOfWhichNothingGetsInIsOne429() throws Exception {
        ApiClient api = gateway(1, Duration.ofSeconds(10));
        CompletableFuture<ApiResponse> holder;
        List<String> keys = List.of("b1-" + UUID.randomUUID(), "b2-" + UUID.randomUUID());
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            holder = submitAsync(api, "holder-" + UUID.randomUUID());
            gate.awaitHolding(); // the holder's write is held, so it has the one permit
            String body = "{\"jobs\": [" + String.join(", ", keys.stream().map(JobAdmissionTest::spec).toList()) + "]}";
            expectOverloaded(api.post("/jobs/batch", body));
        }
        holder.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS).expect(201);
        for (String key : keys) {
            api.get("/jobs/" + idOf(key)).expectError(404, "job_not_found");
        }
    }
}
