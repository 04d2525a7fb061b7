package io.spindle.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The steps of docs/experiments.md over the HTTP API, for the experiment e2e tests: aliases, jobs on an alias, an
 * experiment run to its end, its report, a gate and its verdict, promotion and rollback.
 */
final class ExperimentSteps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpindleApi api;

    ExperimentSteps(SpindleApi api) {
        this.api = api;
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One call, expecting {@code status}; returns the body. */
    JsonNode call(String method, String path, JsonNode body, int status) {
        SpindleApi.Response r = api.retrying(method, path, body);
        if (r.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ", not " + status + ": " + r.body());
        }
        return r.json();
    }

    JsonNode createAlias(String name, String configId) {
        return call("PUT", "/aliases/" + name, SpindleApi.object().put("config_id", configId).put("actor", "e2e")
                .put("reason", "first version"), 201);
    }

    /** Submits one job per input to the alias (each with its own idempotency key) and waits for every one to end. */
    List<JsonNode> runOnAlias(String type, String alias, List<ObjectNode> inputs, String batch, Duration timeout) {
        Instant since = Instant.now().minusSeconds(1);
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode spec = SpindleApi.object().put("type", type).put("alias", alias).put("idempotency_key", batch + "-" + i);
            spec.set("input", inputs.get(i));
            spec.putObject("labels").put("batch", batch);
            specs.add(spec);
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        List<JsonNode> jobs = new ArrayList<>();
        Map<String, JsonNode> done = new java.util.HashMap<>();
        for (String id : ids) {
            done.put(id, api.awaitTerminal(id, timeout));
        }
        // The read model must show them too: an experiment selects from it.
        for (JsonNode job : done.values()) {
            api.awaitAllTerminal(job.get("config_id").asText(), since, List.of(job.get("id").asText()), timeout);
        }
        ids.forEach(id -> jobs.add(done.get(id)));
        return jobs;
    }

    /** Polls GET /experiments/{id} until it is completed. */
    JsonNode awaitCompleted(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode e = call("GET", "/experiments/" + id, null, 200);
        while (!"completed".equals(e.get("status").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("experiment " + id + " not completed within " + timeout + ": " + e);
            }
            NodeProcess.sleep(Duration.ofMillis(500));
            e = call("GET", "/experiments/" + id, null, 200);
        }
        return e;
    }

    /** The report's comparison of {@code metric} between the two arms. */
    static JsonNode comparison(JsonNode report, String metric, String reference, String candidate) {
        for (JsonNode c : report.get("comparisons")) {
            if (c.get("metric").asText().equals(metric) && c.get("reference").asText().equals(reference)
                    && c.get("candidate").asText().equals(candidate)) {
                return c.get("comparison");
            }
        }
        throw new AssertionError("no comparison of " + metric + " " + reference + " → " + candidate + " in " + report);
    }

    static List<String> kinds(JsonNode history) {
        List<String> kinds = new ArrayList<>();
        history.get("history").forEach(change -> kinds.add(change.get("kind").asText()));
        return kinds;
    }
}
