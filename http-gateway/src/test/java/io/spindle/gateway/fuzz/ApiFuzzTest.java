package io.spindle.gateway.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.model.json.Json;
import io.spindle.node.readmodel.ProjectionFailures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The API fuzz suite: every endpoint of docs/openapi.yaml driven with malformed and adversarial requests
 * (deep nesting, NUL, huge numbers, wrong types, keys given twice, unicode edge cases, invalid UTF-8,
 * empty and null bodies, bad query parameters and path ids, wrong methods and media types) against a real
 * node ({@link LiveNode}). Every answer is below 500, every 4xx in the documented error shape; afterwards
 * the store holds exactly the jobs and configs that were accepted, the projection skipped nothing and is
 * current, and the node is ready. Fixed seed; the number of tries is {@code jqwik.tries.default} (see
 * junit-platform.properties), e.g. {@code -Djqwik.tries.default=5000} for a longer run.
 */
class ApiFuzzTest {
    private static final Duration CONVERGENCE = Duration.ofSeconds(20);
    private static final String JOB = "{\"type\":\"cpu.echo\",\"config_id\":\"" + LiveNode.CONFIG + "\",\"input\":{\"text\":\"hi\"},"
            + "\"priority\":5,\"max_attempts\":3,\"timeout_seconds\":60,\"labels\":{\"team\":\"fuzz\"}}";
    private static final List<String> JOB_FIELDS =
            List.of("type", "config_id", "input", "priority", "max_attempts", "timeout_seconds", "idempotency_key", "labels");
    private static final String CONFIG = "{\"id\":\"fz-1\",\"name\":\"F\",\"job_types\":[\"cpu.echo\"],\"runtime_backend\":\"builtin-java\","
            + "\"model_ref\":\"m\",\"params\":{\"a\":1},\"preferred_node\":\"n\",\"is_active\":true}";
    private static final List<String> CONFIG_FIELDS =
            List.of("id", "name", "job_types", "runtime_backend", "model_ref", "params", "preferred_node", "is_active");
    private static final List<String> OTHER_METHODS = List.of("DELETE", "PUT", "OPTIONS", "TRACE", "FOO", "GET", "POST", "PATCH");
    private static final List<String> MEDIA_TYPES = List.of("application/json", "application/json", "application/json",
            "application/json; charset=ISO-8859-1", "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json");

    private static LiveNode live;
    /** Jobs and configs the API accepted: exactly what may be stored. */
    private static final Set<String> acceptedJobs = new ConcurrentSkipListSet<>();
    private static final Set<String> acceptedConfigs = new ConcurrentSkipListSet<>(Set.of(LiveNode.CONFIG));

    /** A request as generated. */
    record FuzzRequest(String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String text = body == null ? "<none>" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    @BeforeContainer
    static void startNode() throws IOException {
        live = LiveNode.start();
    }

    @AfterContainer
    static void stopNode() throws IOException {
        if (live != null) {
            live.close();
        }
    }

    // Edge cases off: jqwik's would be the first operation and method over and over, not the spread wanted here.
    @Property(seed = "20261204", edgeCases = EdgeCasesMode.NONE)
    void noRequestGetsA5xxAndEveryRefusalHasTheErrorShape(@ForAll("requests") FuzzRequest request) {
        ApiResponse r = send(request);
        Statistics.label("status").collect(r.status());
        assertTrue(r.status() < 500, () -> request + "\n→ " + r.status() + " " + r.body());
        if (r.status() >= 400) {
            r.expectError(r.status(), r.json().path("error").path("code").asText());
            if (r.status() == 405) {
                assertTrue(r.header("Allow").isPresent(), () -> request + "\n→ 405 without Allow");
            }
        }
        record(request, r);
    }

    /** The input limit's boundary, end to end: as deep as accepted is stored by the journal and the read model. */
    @Example
    void inputAtTheDepthLimitIsStoredEverywhereAndOneMoreIsRefused() {
        String deepest = nested(32);
        ApiResponse accepted = live.api().post("/jobs", job(deepest)).expect(201);
        String id = accepted.json().get("id").asText();
        acceptedJobs.add(id);
        JsonNode expected = Json.mapper().valueToTree(parse(deepest));
        assertEquals(expected, live.api().get("/jobs/" + id).expect(200).json().get("input"), "the entity holds it");
        awaitInReadModel(id);
        assertEquals(expected, jobFromReadModel(id).get("input"), "the read model holds it");

        live.api().post("/jobs", job(nested(33))).expectInvalidField("input" + ".a".repeat(32));
        live.api().post("/jobs", job("{\"\\u0000\":1}")).expectInvalidField("input.\u0000");
        ApiResponse config = live.api().post("/configs", CONFIG.replace("\"fz-1\"", "\"fz-deep\"").replace("{\"a\":1}", deepest)).expect(201);
        acceptedConfigs.add(config.json().get("id").asText());
        assertEquals(expected, live.api().get("/configs/fz-deep").expect(200).json().get("params"));
    }

    @AfterProperty
    void theNodeHoldsExactlyWhatWasAcceptedAndIsCurrentAndReady() {
        ApiClient api = live.api();
        // The fuzz may have deactivated or narrowed the config; a valid job needs it as it was.
        api.patch("/configs/" + LiveNode.CONFIG, "{\"is_active\": true, \"job_types\": [\"cpu.*\"]}").expect(200);
        String after = api.post("/jobs", job("{\"after\":\"the fuzz\"}")).expect(201).json().get("id").asText();
        acceptedJobs.add(after);
        awaitInReadModel(after);

        assertEquals(new TreeSet<>(acceptedJobs), awaitJobsInReadModel(), "the read model holds exactly the accepted jobs");
        Set<String> configs = new TreeSet<>();
        api.get("/configs").expect(200).json().get("configs").forEach(c -> configs.add(c.get("id").asText()));
        assertEquals(new TreeSet<>(acceptedConfigs), configs, "the registry holds exactly the accepted configs");

        assertEquals(0, ProjectionFailures.get(live.node().system()).count(), "the projection skipped nothing");
        JsonNode ready = api.get("/ready").expect(200).json();
        assertEquals("ready", ready.get("status").asText());
        assertFalse(ready.has("notes"), ready::toString);
    }

    // ---- generators

    @Provide
    Arbitrary<FuzzRequest> requests() {
        List<Map.Entry<String, String>> operations = documentedOperations();
        return Arbitraries.of(operations).flatMap(op -> {
            String method = op.getKey();
            String template = op.getValue();
            Arbitrary<String> path = Combinators.combine(HostileInput.pathId(), HostileInput.query())
                    .as((id, query) -> template.replaceAll("\\{[a-z_]+}", java.util.regex.Matcher.quoteReplacement(id)) + query);
            Arbitrary<String> methods = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(9, Arbitraries.just(method)), net.jqwik.api.Tuple.of(1, Arbitraries.of(OTHER_METHODS)));
            Arbitrary<byte[]> body = body(method, template);
            return Combinators.combine(methods, path, Arbitraries.of(MEDIA_TYPES), body).as(FuzzRequest::new);
        });
    }

    private static Arbitrary<byte[]> body(String method, String template) {
        Arbitrary<String> json = switch (method + " " + template) {
            case "POST /jobs" -> HostileInput.mutatedBody(JOB, JOB_FIELDS);
            case "POST /jobs/batch" -> Arbitraries.oneOf(
                    HostileInput.mutatedBody(JOB, JOB_FIELDS).list().ofMinSize(1).ofMaxSize(3).map(jobs -> "{\"jobs\":[" + String.join(",", jobs) + "]}"),
                    HostileInput.mutatedBody("{\"jobs\":[" + JOB + "]}", List.of("jobs")));
            case "POST /configs" -> HostileInput.mutatedBody(CONFIG, CONFIG_FIELDS);
            case "PATCH /configs/{id}" -> HostileInput.mutatedBody("{\"name\":\"F2\",\"params\":{\"a\":2}}", CONFIG_FIELDS);
            case "POST /jobs/{id}/cancel" -> HostileInput.mutatedBody("{\"reason\":\"r\"}", List.of("reason"));
            default -> HostileInput.jsonValue();
        };
        Arbitrary<byte[]> asBytes = json.map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (method.equals("GET")) {
            return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just((byte[]) null)),
                    net.jqwik.api.Tuple.of(1, asBytes), net.jqwik.api.Tuple.of(1, HostileInput.rawBody()));
        }
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, asBytes), net.jqwik.api.Tuple.of(2, HostileInput.rawBody()),
                net.jqwik.api.Tuple.of(1, HostileInput.jsonValue().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)));
    }

    /** Method and path template of every operation docs/openapi.yaml documents. */
    private static List<Map.Entry<String, String>> documentedOperations() {
        try {
            JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "openapi.yaml").toFile());
            List<Map.Entry<String, String>> ops = new ArrayList<>();
            spec.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "post", "patch", "put", "delete").contains(method)) {
                    ops.add(Map.entry(method.toUpperCase(java.util.Locale.ROOT), path.getKey()));
                }
            }));
            return ops;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read docs/openapi.yaml", e);
        }
    }

    // ---- requests and bookkeeping

    private static ApiResponse send(FuzzRequest request) {
        HttpRequest.BodyPublisher publisher = request.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(live.api().uri("/") + request.path().substring(1)))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), publisher);
        if (request.body() != null) {
            builder.header("Content-Type", request.contentType());
        }
        return live.api().send(builder);
    }

    /** Notes what a successful answer created. */
    private static void record(FuzzRequest request, ApiResponse r) {
        if (r.status() >= 300) {
            return;
        }
        String where = request.method() + " " + request.path().replaceAll("\\?.*", "");
        if (where.equals("POST /jobs")) {
            acceptedJobs.add(r.json().get("id").asText());
        } else if (where.equals("POST /jobs/batch")) {
            r.json().get("results").forEach(item -> {
                if (item.hasNonNull("job")) {
                    acceptedJobs.add(item.get("job").get("id").asText());
                }
            });
        } else if (where.equals("POST /configs")) {
            acceptedConfigs.add(r.json().get("id").asText());
        }
    }

    private static String job(String input) {
        return "{\"type\":\"cpu.echo\",\"config_id\":\"" + LiveNode.CONFIG + "\",\"input\":" + input + "}";
    }

    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every job id GET /jobs lists, all pages. */
    private static Set<String> jobsInReadModel() {
        Set<String> ids = new TreeSet<>();
        String cursor = null;
        do {
            JsonNode page = live.api().get("/jobs?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).json();
            page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
            cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    private static JsonNode jobFromReadModel(String id) {
        for (JsonNode j : live.api().get("/jobs?limit=100&config_id=" + LiveNode.CONFIG).expect(200).json().get("jobs")) {
            if (j.get("id").asText().equals(id)) {
                return j;
            }
        }
        throw new AssertionError("job " + id + " is not on the first page of GET /jobs");
    }

    private static void awaitInReadModel(String id) {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!jobsInReadModel().contains(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not appear in GET /jobs within " + CONVERGENCE);
            }
            pause();
        }
    }

    private static Set<String> awaitJobsInReadModel() {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        Set<String> listed = jobsInReadModel();
        while (!listed.equals(acceptedJobs) && System.nanoTime() < deadline) {
            pause();
            listed = jobsInReadModel();
        }
        return listed;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
