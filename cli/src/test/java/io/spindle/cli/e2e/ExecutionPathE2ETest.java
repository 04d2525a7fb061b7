package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The execution path end to end (docs/architecture.md, "From POST /jobs to succeeded") with nothing faked: a real node process on real
 * Redis, the Mongo-wire server and S3Proxy, running real Java and Python worker processes, driven over its
 * HTTP API like a client would. Each test works on its own jobs; the node is shared.
 */
class ExecutionPathE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String JAVA = "e2e-java";
    private static final String PYTHON = "e2e-python";
    private static final String UNHOSTED = "e2e-unhosted";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RETRY_BASE = Duration.ofMillis(300);
    private static final double RETRY_JITTER = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NodeProcess node;
    private static SpindleApi api;

    @BeforeAll
    static void startNode() {
        String hosted = """
                { config-id = "e2e-java", concurrency = 3, worker { builtin = "java" } }
                { config-id = "e2e-python", concurrency = 2, worker { builtin = "python" } }
                """;
        node = NodeProcess.node("node-1", BACKENDS.nodeConfig("node-1", Backends.freePort(), hosted, ""));
        api = new SpindleApi(node.start());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            assertEquals(NodeProcess.EXIT_ON_SIGTERM, node.stop(), "the node exits by itself on SIGTERM");
            assertTrue(node.tail().contains("Node node-1 stopped"), "an orderly stop: " + node.tail());
        }
    }

    @Test
    void twoHundredEchoJobsSucceedAndTheirArtifactsRoundTripFromS3() throws Exception {
        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ObjectNode input = SpindleApi.object().put("n", i).put("text", randomText(256 + i * 8));
            specs.add(keyed(SpindleApi.spec("cpu.echo", i % 2 == 0 ? JAVA : PYTHON, input)));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        assertEquals(200, ids.stream().distinct().count());

        Map<String, JsonNode> jobs = new HashMap<>();
        List<String> javaIds = new ArrayList<>();
        List<String> pythonIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (i % 2 == 0 ? javaIds : pythonIds).add(ids.get(i));
        }
        jobs.putAll(api.awaitAllTerminal(JAVA, since, javaIds, Duration.ofSeconds(180)));
        jobs.putAll(api.awaitAllTerminal(PYTHON, since, pythonIds, Duration.ofSeconds(180)));

        for (int i = 0; i < ids.size(); i++) {
            JsonNode job = jobs.get(ids.get(i));
            JsonNode input = specs.get(i).get("input");
            assertEquals("succeeded", job.get("status").asText(), () -> "job " + job);
            assertEquals(input, job.get("outputs"), "echo returns its input");
            assertEquals(1, job.get("artifact_ids").size());
            String artifactId = job.get("artifact_ids").get(0).asText();
            JsonNode meta = api.artifact(artifactId);
            HttpResponse<byte[]> bytes = api.artifactBytes(artifactId);
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.body()));
            assertEquals(meta.get("sha256").asText(), sha256, "stored digest matches the bytes served");
            assertEquals(meta.get("size").asLong(), bytes.body().length);
            assertEquals("\"" + sha256 + "\"", bytes.headers().firstValue("ETag").orElse(""));
            assertEquals(input, JSON.readTree(bytes.body()), "the artifact holds what the worker wrote");
            assertEquals(ids.get(i), meta.get("job_id").asText());
            assertEquals(i % 2 == 0 ? JAVA : PYTHON, meta.get("config_id").asText());
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoffThenSucceed() {
        ObjectNode input = SpindleApi.object().put("transient", true).put("fail_attempts", 2).put("code", "gpu_busy");
        String id = api.submit(SpindleApi.spec("cpu.fail", PYTHON, input).put("max_attempts", 3)).get("id").asText();

        JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);

        assertEquals("succeeded", job.get("status").asText(), job::toString);
        assertEquals(3, job.get("attempt").asInt());
        List<JsonNode> events = api.events(id);
        assertEquals(List.of("submitted", "leased", "started", "retry_scheduled", "leased", "started", "retry_scheduled",
                "leased", "started", "succeeded"), events.stream().map(e -> e.get("type").asText()).toList());
        int retry = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (!e.get("type").asText().equals("retry_scheduled")) {
                continue;
            }
            retry++;
            assertEquals("gpu_busy", e.get("payload").get("error").get("code").asText());
            Instant at = Instant.parse(e.get("at").asText());
            Instant retryAt = Instant.parse(e.get("payload").get("retry_at").asText());
            long minimum = (long) (RETRY_BASE.toMillis() * Math.pow(2, retry - 1) * (1 - RETRY_JITTER));
            assertTrue(Duration.between(at, retryAt).toMillis() >= minimum, "backoff of retry " + retry + " at least " + minimum + " ms");
            Instant nextLease = Instant.parse(events.get(i + 1).get("at").asText());
            assertFalse(nextLease.isBefore(retryAt), "the next attempt is not leased before its retry time");
        }
    }

    @Test
    void exhaustedRetriesDeadLetterAndARequeueRunsTheJobAgain() {
        ObjectNode input = SpindleApi.object().put("transient", true).put("fail_attempts", 2);
        String id = api.submit(SpindleApi.spec("cpu.fail", JAVA, input).put("max_attempts", 2)).get("id").asText();

        JsonNode dead = api.awaitTerminal(id, JOB_TIMEOUT);
        assertEquals("dead_lettered", dead.get("status").asText(), dead::toString);
        assertEquals(2, dead.get("attempt").asInt());
        assertEquals("cpu_fail", dead.get("last_error").get("code").asText());

        SpindleApi.Response requeued = api.requeue(id);
        assertEquals(200, requeued.status(), requeued.body());
        JsonNode again = api.awaitTerminal(id, JOB_TIMEOUT);

        assertEquals("succeeded", again.get("status").asText(), again::toString);
        assertEquals(3, again.get("attempt").asInt(), "attempts continue after the requeue; the third passes fail_attempts");
        assertTrue(api.eventTypes(id).contains("requeued"));
        assertEquals(409, api.requeue(id).status(), "only a dead-lettered job can be requeued");
    }

    @Test
    void aPermanentFailureFailsAtOnce() {
        ObjectNode input = SpindleApi.object().put("transient", false).put("code", "bad_prompt").put("message", "no");
        String id = api.submit(SpindleApi.spec("cpu.fail", PYTHON, input).put("max_attempts", 3)).get("id").asText();

        JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);

        assertEquals("failed", job.get("status").asText(), job::toString);
        assertEquals(1, job.get("attempt").asInt());
        assertEquals("bad_prompt", job.get("last_error").get("code").asText());
        assertEquals(List.of("submitted", "leased", "started", "failed"), api.eventTypes(id));
    }

    @Test
    void aCrashedWorkerIsRestartedAndItsJobSucceedsOnALaterAttempt() {
        List<String> ids = new ArrayList<>();
        for (String config : List.of(JAVA, PYTHON)) {
            ObjectNode input = SpindleApi.object().put("crash_attempts", 1);
            ids.add(api.submit(SpindleApi.spec("cpu.crash", config, input).put("max_attempts", 3)).get("id").asText());
        }
        for (String id : ids) {
            JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            assertEquals(2, job.get("attempt").asInt());
            assertEquals("worker_crashed", api.events(id).stream().filter(e -> e.get("type").asText().equals("retry_scheduled"))
                    .findFirst().orElseThrow().get("payload").get("error").get("code").asText());
        }
    }

    @Test
    void aQueuedJobIsCanceledAtOnceAndARunningOneOnceItsWorkerStops() {
        String queued = api.submit(SpindleApi.spec("cpu.echo", UNHOSTED, SpindleApi.object())).get("id").asText();
        JsonNode canceled = api.cancel(queued);
        assertEquals("canceled", canceled.get("status").asText(), canceled::toString);

        ObjectNode sleep = SpindleApi.object().put("duration_ms", 120_000);
        String running = api.submit(SpindleApi.spec("cpu.sleep", PYTHON, sleep)).get("id").asText();
        api.awaitStatus(running, "running", JOB_TIMEOUT);
        JsonNode requested = api.cancel(running);
        assertTrue(requested.get("cancel_requested").asBoolean(), requested::toString);
        JsonNode ended = api.awaitTerminal(running, Duration.ofSeconds(20));

        assertEquals("canceled", ended.get("status").asText(), ended::toString);
        assertEquals(409, api.requeue(running).status(), "a canceled job stays canceled");
        // The worker is free again: the config still runs jobs.
        String after = api.submit(SpindleApi.spec("cpu.echo", PYTHON, SpindleApi.object().put("after", "cancel"))).get("id").asText();
        assertEquals("succeeded", api.awaitTerminal(after, JOB_TIMEOUT).get("status").asText());
    }

    @Test
    void aHangingWorkerPastItsDeadlineIsKilledAndTheJobRetriedUntilItsAttemptsRunOut() {
        String id = api.submit(SpindleApi.spec("cpu.hang", JAVA, SpindleApi.object())
                .put("timeout_seconds", 2).put("max_attempts", 2)).get("id").asText();

        JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);

        assertEquals("dead_lettered", job.get("status").asText(), job::toString);
        assertEquals(2, job.get("attempt").asInt());
        assertEquals("deadline_exceeded", job.get("last_error").get("code").asText());
        assertEquals(2, api.eventTypes(id).stream().filter("leased"::equals).count());
        String after = api.submit(SpindleApi.spec("cpu.echo", JAVA, SpindleApi.object().put("after", "hang"))).get("id").asText();
        assertEquals("succeeded", api.awaitTerminal(after, JOB_TIMEOUT).get("status").asText(), "the killed worker was replaced");
    }

    @Test
    void flushAllOnRedisMidRunLosesNoJob() {
        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            specs.add(keyed(SpindleApi.spec("cpu.sleep", JAVA, SpindleApi.object().put("duration_ms", 150))));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        api.await(ids.get(0), j -> "succeeded".equals(j.get("status").asText()), JOB_TIMEOUT, "succeeded");
        // Waiting: every job whose view has not moved past queued; one the projection has not written yet counts too.
        long taken = api.jobsOf(JAVA, since).stream().filter(j -> !j.get("status").asText().equals("queued")).count();
        long waiting = ids.size() - taken;
        assertTrue(waiting > 10, "jobs still waiting in Redis when it is flushed: " + waiting);

        BACKENDS.redis().command("FLUSHALL");

        Map<String, JsonNode> jobs = api.awaitAllTerminal(JAVA, since, ids, Duration.ofSeconds(120));
        jobs.values().forEach(j -> assertEquals("succeeded", j.get("status").asText(), j::toString));
    }

    private static ObjectNode keyed(ObjectNode spec) {
        return spec.put("idempotency_key", UUID.randomUUID().toString());
    }

    private static String randomText(int length) {
        StringBuilder s = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }
}
