package io.spindle.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi.Responder;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole bench run against a small stateful stand-in for the API: submitted jobs are queued; the first time the
 * jobs list is asked for queued jobs they are all seen queued and then finish (every 100th one failing), 10 ms
 * after creation, started 4 ms after creation. Paging follows the API (newest first, limit, cursor).
 */
class BenchRunTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @AutoClose
    private final FakeApi api = new FakeApi();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger created = new AtomicInteger();
    /** Batch items seen, counted apart from jobs created so that concurrent batches refuse exactly every tenth. */
    private final AtomicInteger batchItems = new AtomicInteger();
    private volatile boolean finishOnNextLook;
    private volatile String refuseEveryTenthWith;
    private volatile boolean neverFinish;

    @BeforeEach
    void routes() {
        api.on("POST", "/jobs", (r, x) -> FakeApi.send(x, 201, "application/json", bytes(submit(ApiJson.parse(r.body())))));
        api.on("POST", "/jobs/batch", (r, x) -> {
            ArrayNode results = Json.mapper().createArrayNode();
            int i = 0;
            for (JsonNode spec : ApiJson.parse(r.body()).get("jobs")) {
                ObjectNode item = results.addObject().put("index", i++);
                if (refuseEveryTenthWith != null && batchItems.getAndIncrement() % 10 == 9) {
                    item.put("status", 409).set("error", Json.object().put("code", refuseEveryTenthWith).put("message", "no").set("details", Json.object()));
                } else {
                    item.put("status", 201).set("job", submit(spec));
                }
            }
            ObjectNode body = Json.object().put("submitted", 0).put("failed", 0);
            body.set("results", results);
            FakeApi.send(x, 200, "application/json", bytes(body));
        });
        api.on("GET", "/jobs", (r, x) -> FakeApi.send(x, 200, "application/json", bytes(list(r.query()))));
    }

    private JsonNode submit(JsonNode specJson) {
        JobSpec spec = JobSpecValidator.validate(ApiJson.convert(specJson, JobSpec.class));
        int n = created.getAndIncrement();
        String id = String.format("job-%05d", n);
        Job job = Job.submitted(new JobEvent.Submitted(id, spec, 1, null, T0.plusMillis(n)));
        jobs.put(id, job);
        order.add(id);
        finishOnNextLook = true;
        api.on("GET", "/jobs/" + id, (r, x) -> {
            FakeApi.send(x, 200, "application/json", bytes(Json.mapper().valueToTree(jobs.get(id))));
            finishAfterThisLook();
        });
        return Json.mapper().valueToTree(job);
    }

    private synchronized JsonNode list(String query) {
        Map<String, String> q = new java.util.HashMap<>();
        for (String kv : query.split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        List<Job> matching = new ArrayList<>();
        List<String> newestFirst = new ArrayList<>(order);
        java.util.Collections.reverse(newestFirst);
        for (String id : newestFirst) {
            Job j = jobs.get(id);
            if (j.status().wireName().equals(q.get("status")) && j.configId().equals(q.get("config_id"))
                    && !j.createdAt().isBefore(Instant.parse(q.get("since")))) {
                matching.add(j);
            }
        }
        int offset = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor")) : 0;
        int limit = Integer.parseInt(q.getOrDefault("limit", "50"));
        List<Job> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
        ObjectNode body = Json.object();
        body.set("jobs", Json.mapper().valueToTree(page));
        if (offset + limit < matching.size()) {
            body.put("next_cursor", Integer.toString(offset + limit));
        } else {
            body.putNull("next_cursor");
        }
        if (q.get("status").equals("queued")) {
            finishAfterThisLook();
        }
        return body;
    }

    private synchronized void finishAfterThisLook() {
        if (finishOnNextLook && !neverFinish) {
            finishOnNextLook = false;
            finishAll();
        }
    }

    private void finishAll() {
        jobs.replaceAll((id, j) -> {
            if (j.status() != JobStatus.QUEUED) {
                return j;
            }
            Instant c = j.createdAt();
            Job running = j.apply(new JobEvent.Leased(id, 1, "n", "w", c.plusSeconds(30), c.plusMillis(2)))
                    .apply(new JobEvent.Started(id, 1, c.plusMillis(4)));
            return Integer.parseInt(id.substring(4)) % 100 == 99
                    ? running.apply(new JobEvent.Failed(id, 1, JobError.permanent("cpu_fail", "as asked"), c.plusMillis(10)))
                    : running.apply(new JobEvent.Succeeded(id, 1, Json.object(), List.of(), c.plusMillis(10)));
        });
    }

    private static byte[] bytes(JsonNode node) {
        return ApiJson.compact(node).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static BenchPlan plan(int jobs, int batch) {
        return new BenchPlan(jobs, "cpu.echo", "echo-v1", Json.object(), null, batch, 4, 0, Duration.ofMillis(10), Duration.ofSeconds(30));
    }

    private BenchReport run(BenchPlan plan) throws InterruptedException {
        return BenchRun.run(new SpindleClient(api.uri(), null), plan, new PrintWriter(new StringWriter()));
    }

    @Test
    void batchedRunSubmitsEverythingAndCollectsItInFewRoundTrips() throws InterruptedException {
        BenchReport r = run(plan(2500, 100));
        assertEquals(25, api.requests("POST", "/jobs/batch").size());
        assertEquals(2500, r.submitted());
        assertEquals(2500, r.finished());
        assertEquals(0, r.unfinished());
        assertEquals(2475, r.statuses().get("succeeded"));
        assertEquals(25, r.statuses().get("failed"));
        assertEquals(Map.of("cpu_fail", new FailureTally(25, "as asked")), r.jobErrors());
        assertEquals(new LatencyStats(2500, 4.0, 4.0, 4.0, 4.0), r.submitToStart());
        assertEquals(new LatencyStats(2500, 10.0, 10.0, 10.0, 10.0), r.submitToDone());
        assertEquals(2.509, r.elapsedSeconds(), 1e-9, "created 0..2499 ms, last finished at 2509 ms");
        assertTrue(api.requests("GET", "/jobs").size() <= 20, api.requests("GET", "/jobs").size() + " list requests");
        // Every job carries the run's label.
        JsonNode first = ApiJson.parse(api.requests("POST", "/jobs/batch").get(0).body()).get("jobs").get(0);
        assertEquals(r.runId(), first.get("labels").get(BenchSubmitter.RUN_LABEL).asText());
    }

    @Test
    void aSmallRunOneJobPerRequestAsksForEachJob() throws InterruptedException {
        BenchReport r = run(plan(10, 1));
        assertEquals(10, api.requests("POST", "/jobs").size());
        assertEquals(10, r.finished());
        assertEquals(10, r.statuses().get("succeeded"));
    }

    @Test
    void refusedItemsAreCountedAndTheRestRuns() throws InterruptedException {
        refuseEveryTenthWith = "config_inactive";
        BenchReport r = run(plan(100, 20));
        assertEquals(90, r.submitted());
        assertEquals(10, r.refused());
        assertEquals(90, r.finished());
        assertEquals(10, r.refusals().get("config_inactive").count());
    }

    @Test
    void aFirstBatchRefusedEntirelyStopsTheRunWithItsError() {
        api.on("POST", "/jobs/batch", FakeApi.json(200, "{\"submitted\":0,\"failed\":2,\"results\":["
                + "{\"index\":0,\"status\":404,\"error\":{\"code\":\"config_not_found\",\"message\":\"config 'echo-v1' not found\",\"details\":{}}},"
                + "{\"index\":1,\"status\":404,\"error\":{\"code\":\"config_not_found\",\"message\":\"config 'echo-v1' not found\",\"details\":{}}}]}"));
        ApiException e = assertThrows(ApiException.class, () -> run(plan(100, 2)));
        assertEquals("config_not_found", e.code());
        assertTrue(e.isNotFound());
        assertEquals(1, api.requests("POST", "/jobs/batch").size(), "nothing more after the probe");
    }

    @Test
    void jobsABatchAnswerLeavesOutAreCountedAsRefused() throws InterruptedException {
        api.on("POST", "/jobs/batch", (r, x) -> {
            JsonNode specs = ApiJson.parse(r.body()).get("jobs");
            ArrayNode results = Json.mapper().createArrayNode();
            for (int i = 0; i < specs.size() - 1; i++) { // the last job of every batch goes unanswered
                results.addObject().put("index", i).put("status", 201).set("job", submit(specs.get(i)));
            }
            FakeApi.send(x, 200, "application/json", bytes(Json.object().set("results", results)));
        });
        BenchReport r = run(plan(40, 10));
        assertEquals(36, r.submitted());
        assertEquals(4, r.refused());
        assertEquals(new FailureTally(4, "the batch answer had 9 results for 10 jobs"), r.refusals().get(BenchSubmitter.UNANSWERED_CODE));
        assertEquals(36, r.finished());
    }

    /** A 429 as the gateway sends it: the one error shape and Retry-After. */
    private static void overloaded(com.sun.net.httpserver.HttpExchange x, int retryAfterSeconds) throws IOException {
        x.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        FakeApi.send(x, 429, "application/json", ("{\"error\":{\"code\":\"overloaded\",\"message\":\"busy\",\"details\":"
                + "{\"retry_after_seconds\":" + retryAfterSeconds + "}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void jobsAnswered429AreResubmittedAfterRetryAfterAndCountedAsThrottled() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        api.on("POST", "/jobs", (r, x) -> {
            if (calls.getAndIncrement() % 2 == 0 && calls.get() <= 8) {
                overloaded(x, 1);
            } else {
                FakeApi.send(x, 201, "application/json", bytes(submit(ApiJson.parse(r.body()))));
            }
        });
        long start = System.nanoTime();

        BenchReport r = run(plan(10, 1));

        assertEquals(10, r.submitted(), "every throttled job got in on a retry");
        assertEquals(0, r.refused());
        assertEquals(Map.of(), r.refusals());
        assertEquals(4, r.throttled());
        assertEquals(14, api.requests("POST", "/jobs").size());
        assertTrue(System.nanoTime() - start >= Duration.ofSeconds(1).toNanos(), "the retries waited for Retry-After");
        assertEquals(10, r.finished());
    }

    @Test
    void batchItemsAnswered429AreResubmittedAsASmallerBatch() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        api.on("POST", "/jobs/batch", (r, x) -> {
            boolean throttleTail = calls.getAndIncrement() == 1;
            ArrayNode results = Json.mapper().createArrayNode();
            int i = 0;
            for (JsonNode spec : ApiJson.parse(r.body()).get("jobs")) {
                ObjectNode item = results.addObject().put("index", i);
                if (throttleTail && i >= 3) {
                    item.put("status", 429).set("error", Json.object().put("code", "overloaded").put("message", "busy")
                            .set("details", Json.object().put("retry_after_seconds", 0)));
                } else {
                    item.put("status", 201).set("job", submit(spec));
                }
                i++;
            }
            ObjectNode body = Json.object().put("submitted", 0).put("failed", 0);
            body.set("results", results);
            FakeApi.send(x, 200, "application/json", bytes(body));
        });

        BenchReport r = run(plan(20, 10));

        assertEquals(20, r.submitted());
        assertEquals(7, r.throttled());
        assertEquals(0, r.refused());
        List<JsonNode> batches = api.requests("POST", "/jobs/batch").stream().map(q -> ApiJson.parse(q.body()).get("jobs")).toList();
        assertEquals(List.of(10, 10, 7), batches.stream().map(JsonNode::size).toList());
        // Exactly the refused items go again; the jobs carry no key of their own (the node gives each one).
        assertEquals(List.of(), batches.stream().flatMap(b -> b.findValuesAsText("idempotency_key").stream()).toList());
    }

    @Test
    void aWhollyThrottledFirstBatchIsRetriedNotFatal() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Responder normal = (r, x) -> {
            ArrayNode results = Json.mapper().createArrayNode();
            int i = 0;
            for (JsonNode spec : ApiJson.parse(r.body()).get("jobs")) {
                results.addObject().put("index", i++).put("status", 201).set("job", submit(spec));
            }
            ObjectNode body = Json.object().put("submitted", i).put("failed", 0);
            body.set("results", results);
            FakeApi.send(x, 200, "application/json", bytes(body));
        };
        api.on("POST", "/jobs/batch", (r, x) -> {
            if (calls.getAndIncrement() == 0) {
                overloaded(x, 0);
            } else {
                normal.respond(r, x);
            }
        });

        BenchReport r = run(plan(4, 2));

        assertEquals(4, r.submitted());
        assertEquals(2, r.throttled());
    }

    @Test
    void jobsStillThrottledWhenTheTimeoutRunsOutAreRefusedOverloaded() throws InterruptedException {
        api.on("POST", "/jobs", (r, x) -> overloaded(x, 1));
        BenchPlan shortWait = new BenchPlan(3, "cpu.echo", "echo-v1", Json.object(), null, 1, 3, 0, Duration.ofMillis(10), Duration.ofMillis(500));

        BenchReport r = run(shortWait);

        assertEquals(0, r.submitted());
        assertEquals(3, r.throttled());
        assertEquals(3, r.refusals().get(BenchSubmitter.OVERLOADED_CODE).count());
    }

    @Test
    void aSubmitWhoseFateWasUnknownIsLookedUpAfterwards() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        api.on("POST", "/jobs", (r, x) -> {
            int n = calls.getAndIncrement();
            if (n == 3 || n == 5) {
                JsonNode created = submit(ApiJson.parse(r.body()));
                String id = n == 3 ? created.get("id").asText() : "job-never";
                if (n == 5) {
                    jobs.remove(created.get("id").asText());
                    order.remove(created.get("id").asText());
                }
                FakeApi.send(x, 503, "application/json", ("{\"error\":{\"code\":\"unavailable\",\"message\":\"may or may not\","
                        + "\"details\":{\"job_id\":\"" + id + "\",\"retry_after_seconds\":1}}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                FakeApi.send(x, 201, "application/json", bytes(submit(ApiJson.parse(r.body()))));
            }
        });

        BenchReport r = run(plan(10, 1));

        assertEquals(2, r.unsettled());
        assertEquals(9, r.submitted(), "the one that existed is tracked");
        assertEquals(1, r.refusals().get("unavailable").count(), "the one that did not is refused");
        assertEquals(9, r.finished());
    }

    @Test
    void aRateLimitPacesTheSubmits() throws InterruptedException {
        BenchPlan paced = new BenchPlan(20, "cpu.echo", "echo-v1", Json.object(), null, 5, 4, 100, Duration.ofMillis(10), Duration.ofSeconds(30));
        BenchReport r = run(paced);
        assertTrue(r.submitSeconds() >= 0.15, "4 batches of 5 at 100 jobs/s start 0, 50, 100, 150 ms: took " + r.submitSeconds());
        assertEquals(100.0, r.rateLimit());
    }

    @Test
    void jobsThatNeverFinishAreReportedUnfinishedAtTheTimeout() throws InterruptedException {
        neverFinish = true;
        BenchPlan shortWait = new BenchPlan(5, "cpu.echo", "echo-v1", Json.object(), null, 5, 1, 0, Duration.ofMillis(10), Duration.ofMillis(200));
        BenchReport r = run(shortWait);
        assertEquals(5, r.unfinished());
        assertEquals(0, r.finished());
    }
}
