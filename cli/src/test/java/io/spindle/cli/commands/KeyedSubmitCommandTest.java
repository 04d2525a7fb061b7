package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * {@code spindle submit} repeats a submit whose outcome it does not know with the same idempotency key, so the
 * real gateway behind a faulty proxy creates exactly one job: the proxy passes the first submit on and then answers
 * the client 503 (the job was created, the client cannot know), or refuses it with 429 and Retry-After.
 */
class KeyedSubmitCommandTest {
    private static final String CONFIG = "keyed-submit";
    private static RealGateway gateway;

    @AutoClose
    private final FakeApi proxy = new FakeApi();
    /** The real gateway's answers to what the proxy passed on, in order. */
    private final List<JsonNode> passedOn = new CopyOnWriteArrayList<>();
    private final List<Integer> realStatuses = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGateway() {
        gateway = new RealGateway();
        gateway.pause(); // the jobs stay queued: only their creation matters here
        gateway.config(CONFIG, "cpu.echo");
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void aSubmitWhoseAnswerIsLostIsRepeatedWithItsKeyAndCreatesOneJob() {
        AtomicInteger calls = new AtomicInteger();
        proxy.on("POST", "/jobs", (request, exchange) -> {
            JsonNode real = passOn(request);
            if (calls.getAndIncrement() == 0) {
                FakeApi.error(503, "unavailable", "outcome unknown").respond(request, exchange);
            } else {
                FakeApi.json(realStatuses.get(realStatuses.size() - 1), real.toString()).respond(request, exchange);
            }
        });

        Cli.Result r = Cli.against(proxy.uri(), "submit", "cpu.echo", "--config", CONFIG, "--input", "{\"text\": \"once\"}", "-q")
                .assertOk();

        assertEquals(List.of(201, 200), realStatuses, "the repeat found the job the first try created");
        String id = passedOn.get(0).get("id").asText();
        assertEquals(id, passedOn.get(1).get("id").asText());
        assertEquals(id, r.out().strip());
        List<String> keys = proxy.requests("POST", "/jobs").stream()
                .map(q -> ApiJson.parse(q.body()).get("idempotency_key").asText()).toList();
        assertEquals(2, keys.size());
        assertEquals(keys.get(0), keys.get(1), "both tries carry the one key");
        assertEquals(7, UUID.fromString(keys.get(0)).version(), "a time-ordered key, so is the job id: " + keys.get(0));
        assertTrue(r.err().contains("repeating it with idempotency key " + keys.get(0)), r.err());
    }

    @Test
    void anOverloadedNodeIsAskedAgainAfterItsRetryAfter() {
        proxy.on("POST", "/jobs", FakeApi.sequence(
                (request, exchange) -> {
                    exchange.getResponseHeaders().set("Retry-After", "0");
                    FakeApi.error(429, "overloaded", "too many submits in flight").respond(request, exchange);
                },
                (request, exchange) -> {
                    JsonNode real = passOn(request);
                    FakeApi.json(realStatuses.get(realStatuses.size() - 1), real.toString()).respond(request, exchange);
                }));

        Cli.against(proxy.uri(), "submit", "cpu.echo", "--config", CONFIG, "--idempotency-key", "mine-1", "-q").assertOk();

        assertEquals(List.of(201), realStatuses);
        assertEquals(2, proxy.requests("POST", "/jobs").size());
        proxy.requests("POST", "/jobs").forEach(q -> assertEquals("mine-1", ApiJson.parse(q.body()).get("idempotency_key").asText()));
    }

    @Test
    void aClientMistakeIsNotRepeated() {
        proxy.on("POST", "/jobs", FakeApi.error(404, "config_not_found", "no config 'nope'"));

        Cli.against(proxy.uri(), "submit", "cpu.echo", "--config", "nope").assertFailed(ExitCodes.NOT_FOUND);

        assertEquals(1, proxy.requests("POST", "/jobs").size());
    }

    @Test
    void afterTheLastTryItSaysWhichKeyToRepeatWith() {
        proxy.on("POST", "/jobs", FakeApi.error(503, "unavailable", "outcome unknown"));

        Cli.Result r = Cli.against(proxy.uri(), "submit", "cpu.echo", "--config", CONFIG, "--idempotency-key", "k-last",
                "--retries", "1");

        assertEquals(ExitCodes.API_ERROR, r.exitCode(), r.err());
        assertEquals(2, proxy.requests("POST", "/jobs").size());
        assertTrue(r.err().contains("repeat with --idempotency-key k-last"), r.err());
    }

    /** Sends the proxied submit to the real gateway as the client sent it; records and answers the gateway's job. */
    private JsonNode passOn(FakeApi.Request request) throws IOException {
        HttpRequest forward = HttpRequest.newBuilder(gateway.uri().resolve("/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.body())).build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(forward, HttpResponse.BodyHandlers.ofString());
            realStatuses.add(answer.statusCode());
            JsonNode job = ApiJson.parse(answer.body());
            passedOn.add(job);
            return job;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
