package io.spindle.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A client of a node's HTTP API (docs/openapi.yaml) over java.net.http, as a user's script would be: JSON in
 * and out, submissions made safe to repeat with idempotency keys and repeated while the node answers 429/503/504
 * or cannot be reached (e.g. while it restarts).
 */
final class SpindleApi {
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "dead_lettered");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);
    private static final int BATCH = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String base;

    SpindleApi(String base) {
        this.base = base;
    }

    /** Points the client at a restarted node. */
    void baseUrl(String value) {
        base = value;
    }

    static ObjectNode spec(String type, String configId, ObjectNode input) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("type", type).put("config_id", configId).set("input", input);
        return spec;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Submits one job; the spec should carry an idempotency_key when the call may be repeated. */
    JsonNode submit(ObjectNode spec) {
        Response r = retrying("POST", "/jobs", spec);
        if (r.status() != 201 && r.status() != 200) {
            throw new AssertionError("POST /jobs answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** POST /jobs once, not repeated whatever the answer: what a client sees at first. */
    Response submitOnce(ObjectNode spec) {
        try {
            return send("POST", "/jobs", spec);
        } catch (IOException e) {
            return new Response(-1, e.toString());
        }
    }

    /**
     * Submits every spec (each must carry an idempotency_key) through POST /jobs/batch, repeating the items the
     * node could not take yet (429/503/504); returns the jobs in spec order.
     */
    List<JsonNode> submitAll(List<ObjectNode> specs) {
        List<JsonNode> jobs = new ArrayList<>();
        for (int from = 0; from < specs.size(); from += BATCH) {
            List<ObjectNode> chunk = specs.subList(from, Math.min(specs.size(), from + BATCH));
            Map<Integer, JsonNode> done = new HashMap<>();
            long deadline = System.nanoTime() + RETRY_FOR.toNanos();
            while (done.size() < chunk.size()) {
                List<Integer> todo = new ArrayList<>();
                ArrayNode items = JSON.createArrayNode();
                for (int i = 0; i < chunk.size(); i++) {
                    if (!done.containsKey(i)) {
                        todo.add(i);
                        items.add(chunk.get(i));
                    }
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("jobs", items);
                Response r = retrying("POST", "/jobs/batch", body);
                if (r.status() != 200) {
                    throw new AssertionError("POST /jobs/batch answered " + r.status() + ": " + r.body());
                }
                for (JsonNode result : r.json().get("results")) {
                    int status = result.get("status").asInt();
                    int index = todo.get(result.get("index").asInt());
                    if (status == 200 || status == 201) {
                        done.put(index, result.get("job"));
                    } else if (!retryable(status)) {
                        throw new AssertionError("batch item " + index + " refused: " + result);
                    }
                }
                if (done.size() < chunk.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError((chunk.size() - done.size()) + " batch items still refused after " + RETRY_FOR);
                    }
                    NodeProcess.sleep(RETRY_PAUSE);
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                jobs.add(done.get(i));
            }
        }
        return jobs;
    }

    JsonNode job(String id) {
        return ok(retrying("GET", "/jobs/" + id, null));
    }

    JsonNode cancel(String id) {
        return ok(retrying("POST", "/jobs/" + id + "/cancel", null));
    }

    Response requeue(String id) {
        return retrying("POST", "/jobs/" + id + "/requeue", null);
    }

    /** The job's journaled events, oldest first. */
    List<JsonNode> events(String id) {
        List<JsonNode> events = new ArrayList<>();
        ok(retrying("GET", "/jobs/" + id + "/events", null)).get("events").forEach(events::add);
        return events;
    }

    List<String> eventTypes(String id) {
        return events(id).stream().map(e -> e.get("type").asText()).toList();
    }

    /** GET /metrics: this node's Prometheus text. */
    String metrics() {
        Response r = retrying("GET", "/metrics", null);
        if (r.status() != 200) {
            throw new AssertionError("GET /metrics answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    /** The sum of the samples of {@code name} in a Prometheus scrape whose labels include each {@code label="value"}. */
    static double sample(String scrape, String name, String... labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int valueAt = line.lastIndexOf(' ');
            String series = line.substring(0, valueAt);
            if (java.util.Arrays.stream(labels).allMatch(series::contains)) {
                sum += Double.parseDouble(line.substring(valueAt + 1));
            }
        }
        return sum;
    }

    /** GET /cluster/nodes: the members as this node sees them. */
    JsonNode clusterNodes() {
        return ok(retrying("GET", "/cluster/nodes", null));
    }

    JsonNode artifact(String id) {
        return ok(retrying("GET", "/artifacts/" + id, null));
    }

    /** The artifact's bytes and response headers. */
    HttpResponse<byte[]> artifactBytes(String id) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/artifacts/" + id + "/bytes"))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /artifacts/" + id + "/bytes answered " + r.statusCode());
            }
            return r;
        } catch (IOException e) {
            throw new AssertionError("GET /artifacts/" + id + "/bytes failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every job of a config created at or after {@code since}, from the read model (which lags a little). */
    List<JsonNode> jobsOf(String configId, Instant since) {
        List<JsonNode> jobs = new ArrayList<>();
        String cursor = null;
        do {
            String query = "/jobs?limit=1000&config_id=" + configId + "&since=" + since
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = ok(retrying("GET", query, null));
            page.get("jobs").forEach(jobs::add);
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return jobs;
    }

    /** Polls GET /jobs/{id} until {@code done} holds for the job; returns it. */
    JsonNode await(String id, Predicate<JsonNode> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = job(id);
        while (!done.test(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " not " + what + " within " + timeout + ": " + job);
            }
            NodeProcess.sleep(Duration.ofMillis(200));
            job = job(id);
        }
        return job;
    }

    JsonNode awaitStatus(String id, String status, Duration timeout) {
        return await(id, j -> status.equals(j.get("status").asText()), timeout, status);
    }

    JsonNode awaitTerminal(String id, Duration timeout) {
        return await(id, j -> TERMINAL.contains(j.get("status").asText()), timeout, "terminal");
    }

    /**
     * Waits until the read model shows every one of {@code ids} terminal, then returns each job as its entity
     * has it (read-your-writes), by id.
     */
    Map<String, JsonNode> awaitAllTerminal(String configId, Instant since, Collection<String> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> status = new HashMap<>();
            jobsOf(configId, since).forEach(j -> status.put(j.get("id").asText(), j.get("status").asText()));
            long open = ids.stream().filter(id -> !TERMINAL.contains(status.getOrDefault(id, "missing"))).count();
            if (open == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                Map<String, Long> counts = new HashMap<>();
                ids.forEach(id -> counts.merge(status.getOrDefault(id, "missing"), 1L, Long::sum));
                throw new AssertionError(open + " of " + ids.size() + " jobs not terminal within " + timeout + ": " + counts);
            }
            NodeProcess.sleep(Duration.ofMillis(500));
        }
        Map<String, JsonNode> jobs = new HashMap<>();
        ids.forEach(id -> jobs.put(id, job(id)));
        return jobs;
    }

    /** GET /ready once, without retrying a 503: its status is what is being looked at. Null when unreachable. */
    Response readiness() {
        try {
            return send("GET", "/ready", null);
        } catch (IOException e) {
            return null;
        }
    }

    /** A node that is saturated (429) or could not answer (503, 504) created nothing it cannot be asked about again. */
    private static boolean retryable(int status) {
        return status == 429 || status == 503 || status == 504;
    }

    /** One HTTP exchange, repeated while the node is unreachable or answers 429/503/504. */
    Response retrying(String method, String path, JsonNode body) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            Response r;
            try {
                r = send(method, path, body);
            } catch (IOException e) {
                r = null;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(method + " " + path + " failed for " + RETRY_FOR, e);
                }
            }
            if (r != null && !retryable(r.status())) {
                return r;
            }
            if (r != null && System.nanoTime() > deadline) {
                return r;
            }
            NodeProcess.sleep(RETRY_PAUSE);
        }
    }

    private Response send(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static JsonNode ok(Response r) {
        if (r.status() != 200) {
            throw new AssertionError("answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** A status and a body. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
