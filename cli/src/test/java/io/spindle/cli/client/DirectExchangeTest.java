package io.spindle.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** Submits written and answered on the calling thread over a kept-alive plain connection ({@code spindle bench}'s). */
class DirectExchangeTest {
    private static final JobSpec SPEC = JobSpec.of("cpu.echo", TestJobs.CONFIG, Json.object()).withIdempotencyKey("run-7");

    @AutoClose
    private final FakeApi api = new FakeApi();
    /** The client port of each request the server got: one port, one connection. */
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

    private FakeApi.Responder recordingPort(FakeApi.Responder answer) {
        return (request, exchange) -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            answer.respond(request, exchange);
        };
    }

    @Test
    void aSubmitIsPostedAsJsonWithItsTokenAndKeyAndAnswersTheBodyAsSent() {
        String created = TestJobs.json(TestJobs.queued("j1"));
        api.onJson("POST", "/jobs", 201, created);

        ApiReply reply = new SpindleClient(api.uri(), "s3cret").submitDirect(SPEC);

        assertEquals(new ApiReply(201, created), reply);
        FakeApi.Request sent = api.last("POST", "/jobs");
        assertEquals("Bearer s3cret", sent.header("Authorization"));
        assertEquals("application/json", sent.header("Content-Type"));
        assertEquals("run-7", ApiJson.parse(sent.body()).path("idempotency_key").asText());
    }

    @Test
    void aBatchIsPostedAsTheJobsOfOneBody() {
        api.onJson("POST", "/jobs/batch", 200, "{\"results\":[]}");

        new SpindleClient(api.uri(), null).submitBatchDirect(List.of(SPEC, SPEC.withIdempotencyKey("run-8")));

        assertEquals(List.of("run-7", "run-8"), ApiJson.parse(api.last("POST", "/jobs/batch").body()).path("jobs")
                .findValuesAsText("idempotency_key"));
    }

    @Test
    void errorAnswersAreApiExceptionsWithTheirCodeAndRetryAfter() {
        api.on("POST", "/jobs", FakeApi.sequence(
                (request, exchange) -> {
                    exchange.getResponseHeaders().set("Retry-After", "3");
                    FakeApi.error(429, "overloaded", "the node is saturated").respond(request, exchange);
                },
                FakeApi.error(400, "invalid_request", "type is required")));
        SpindleClient client = new SpindleClient(api.uri(), null);

        ApiException overloaded = assertThrows(ApiException.class, () -> client.submitDirect(SPEC));
        assertTrue(overloaded.isOverloaded());
        assertEquals(Duration.ofSeconds(3), overloaded.retryAfter().orElseThrow());
        ApiException invalid = assertThrows(ApiException.class, () -> client.submitDirect(SPEC));
        assertEquals(400, invalid.status());
        assertEquals("invalid_request", invalid.code());
        assertEquals("type is required", invalid.getMessage());
    }

    @Test
    void oneConnectionCarriesRequestAfterRequestThroughErrorAnswers() {
        api.on("POST", "/jobs", recordingPort(FakeApi.sequence(
                FakeApi.json(201, TestJobs.json(TestJobs.queued("j1"))),
                FakeApi.error(400, "invalid_request", "no"),
                FakeApi.json(201, TestJobs.json(TestJobs.queued("j2"))))));
        SpindleClient client = new SpindleClient(api.uri(), null);

        for (int i = 0; i < 10; i++) {
            try {
                client.submitDirect(SPEC);
            } catch (ApiException refused) {
                assertEquals(400, refused.status());
            }
        }

        assertEquals(10, clientPorts.size());
        assertEquals(1, Set.copyOf(clientPorts).size(), "every request on the first connection: " + clientPorts);
    }

    @Test
    void noServerListeningIsUnreachable() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        ServerUnreachableException e = assertThrows(ServerUnreachableException.class,
                () -> new SpindleClient(closed, null).submitDirect(SPEC));
        assertEquals(closed, e.server());
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getMessage().toLowerCase().contains("refused"), e.getMessage());
    }
}
