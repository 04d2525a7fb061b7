package io.spindle.gateway.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.node.readmodel.ProjectionFailures;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.node.testsupport.MongoServerExtension;
import io.spindle.node.testsupport.UnreachableMongo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /health, /ready against a real embedded Mongo-wire server and failing checks, and /metrics. */
class OperationsRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration READY_TIMEOUT = Duration.ofMillis(500);

    private static MongoClient client;
    private static MongoClient unreachable;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(MONGO.uri());
        unreachable = UnreachableMongo.client();
    }

    @AfterAll
    static void disconnect() {
        client.close();
        unreachable.close();
    }

    @Test
    void healthIsAlwaysOk() {
        assertEquals("ok", NODE.api().get("/health").expect(200).json().get("status").asText());
    }

    @Test
    void readyNamesJobViewsTheProjectionSkippedWithoutBeingUnready() {
        ProjectionFailures failures = ProjectionFailures.get(NODE.system());
        failures.record(new ProjectionFailures.Skipped("job-with-nul-key", 17, "BSON cstring is not valid", java.time.Instant.now()));

        JsonNode body = NODE.api().get("/ready").expect(200).json();

        String note = body.get("notes").get("projection").asText();
        assertTrue(note.contains("job-with-nul-key") && note.contains("offset 17") && note.contains("BSON cstring"), note);
        assertTrue(NODE.api().get("/metrics").expect(200).body().contains("spindle_projection_failures_total"));
    }

    @Test
    void readyWhenEveryBackendAnswers() {
        ApiClient api = NODE.startGateway(NODE.settings().withReadyTimeout(READY_TIMEOUT),
                List.of(BackendChecks.mongo(client.getDatabase("spindle")), BackendChecks.artifactStore("s3", NODE.artifacts()),
                        BackendChecks.jobQueue("redis", NODE.queue())));

        JsonNode body = api.get("/ready").expect(200).json();

        assertEquals("ready", body.get("status").asText());
        assertEquals("ok", body.get("checks").get("mongo").asText());
        assertEquals("ok", body.get("checks").get("s3").asText());
        assertEquals("ok", body.get("checks").get("redis").asText());
    }

    @Test
    void notReadyNamesEveryBackendThatDoesNotAnswer() {
        ApiClient api = NODE.startGateway(NODE.settings().withReadyTimeout(READY_TIMEOUT), List.of(
                BackendChecks.mongo(client.getDatabase("spindle")),
                BackendCheck.of("down", () -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"))),
                BackendCheck.of("hanging", CompletableFuture::new),
                BackendCheck.of("throwing", () -> {
                    throw new IllegalArgumentException("bad probe");
                }),
                BackendCheck.of("mongo-elsewhere", () -> BackendChecks.mongo(unreachable.getDatabase("spindle")).check())));

        ApiResponse r = api.get("/ready");

        JsonNode error = r.expectError(503, "unavailable");
        JsonNode details = error.get("details");
        assertEquals(List.of("down", "hanging", "throwing"), List.of(details.get("failing").get(0).asText(),
                details.get("failing").get(1).asText(), details.get("failing").get(2).asText()));
        assertEquals("mongo-elsewhere", details.get("failing").get(3).asText());
        assertEquals(4, details.get("failing").size(), details.toString());
        assertEquals("ok", details.get("checks").get("mongo").asText());
        assertTrue(details.get("checks").get("down").asText().contains("connection refused"));
        assertTrue(details.get("checks").get("hanging").asText().contains("no answer within"));
        assertTrue(error.get("message").asText().contains("down"));
    }

    @Test
    void metricsArePrometheusTextWithTheGatewaysRequestMeters() {
        NODE.api().get("/health").expect(200);
        NODE.api().get("/no-such-endpoint").expect(404);

        ApiResponse r = NODE.api().get("/metrics").expect(200);

        assertTrue(r.header("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"), r.header("Content-Type").toString());
        assertTrue(r.body().contains("spindle_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}"), r.body());
        assertTrue(r.body().contains("route=\"unmatched\",status=\"404\""), "unmatched paths share one series");
        assertTrue(r.body().contains("spindle_http_request_duration_seconds_count{method=\"GET\",route=\"/health\"}"));
        NODE.api().get("/metrics?format=json").expectInvalidField("format");
    }

    @Test
    void checkNamesMustBeUnique() {
        BackendCheck ok = BackendCheck.of("same", () -> CompletableFuture.completedFuture(null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OperationsRoutes(io.spindle.node.metrics.SpindleMetrics.get(NODE.system()), List.of(ok, ok), READY_TIMEOUT,
                        io.spindle.node.readmodel.ProjectionFailures.get(NODE.system())));
    }
}
