package io.spindle.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    /** How long before its created_at the bench sent each job's request, in these tests. */
    private static final int SENT_BEFORE_CREATED_MS = 5;
    private static final BenchPlan PLAN = new BenchPlan(4, "cpu.echo", "echo-v1", Json.object(), null, 2, 8, 0,
            Duration.ofMillis(100), Duration.ofSeconds(60));

    private static Job job(String id, int createdMs, int startedMs, int finishedMs, boolean fails) {
        Instant created = T0.plusMillis(createdMs);
        Job j = Job.submitted(new JobEvent.Submitted(id, JobSpec.of("cpu.echo", "echo-v1", Json.object()), 1, null, created))
                .apply(new JobEvent.Leased(id, 1, "n", "w", created.plusSeconds(30), created.plusMillis(1)))
                .apply(new JobEvent.Started(id, 1, T0.plusMillis(startedMs)));
        return fails
                ? j.apply(new JobEvent.Failed(id, 1, JobError.permanent("cpu_fail", "as asked"), T0.plusMillis(finishedMs)))
                : j.apply(new JobEvent.Succeeded(id, 1, Json.object(), List.of(), T0.plusMillis(finishedMs)));
    }

    private static BenchReport report(List<Job> jobs, Set<String> unfinished, Map<String, FailureTally> refusals) {
        return report(jobs, unfinished, refusals, 0);
    }

    private static BenchReport report(List<Job> jobs, Set<String> unfinished, Map<String, FailureTally> refusals, int throttled) {
        Map<String, Job> finished = new HashMap<>();
        Map<String, Instant> accepted = new HashMap<>();
        Map<String, Instant> sentAt = new HashMap<>();
        jobs.forEach(j -> {
            finished.put(j.id(), j);
            accepted.put(j.id(), j.createdAt());
            sentAt.put(j.id(), j.createdAt().minusMillis(SENT_BEFORE_CREATED_MS));
        });
        unfinished.forEach(id -> accepted.put(id, T0));
        return BenchReport.of(PLAN, "run1",
                new BenchSubmitter.Submitted(accepted, refusals, throttled, 0, Duration.ofMillis(500), sentAt),
                new CompletionTracker.Outcome(finished, unfinished, Duration.ofSeconds(3)));
    }

    @Test
    void figuresComeFromTheJobsOwnTimestamps() {
        BenchReport r = report(List.of(job("a", 0, 10, 100, false), job("b", 100, 130, 400, false),
                job("c", 200, 220, 1000, true)), Set.of("d"), Map.of());
        assertEquals(4, r.submitted());
        assertEquals(8.0, r.submitRate(), "4 accepted in 0.5 s");
        assertEquals(3, r.finished());
        assertEquals(1, r.unfinished());
        assertEquals(1.0, r.elapsedSeconds(), "first created at 0 ms, last finished at 1000 ms");
        assertEquals(3.0, r.throughput());
        assertEquals(new LatencyStats(3, 20.0, 30.0, 30.0, 30.0), r.submitToStart());
        assertEquals(new LatencyStats(3, 300.0, 800.0, 800.0, 800.0), r.submitToDone());
        assertEquals(new LatencyStats(3, 25.0, 35.0, 35.0, 35.0), r.sentToStart(), "from the client's send, 5 ms earlier");
        assertEquals(new LatencyStats(3, 305.0, 805.0, 805.0, 805.0), r.sentToDone());
        assertEquals(Map.of("succeeded", 2, "failed", 1, "canceled", 0, "dead_lettered", 0), r.statuses());
        assertEquals(Map.of("cpu_fail", new FailureTally(1, "as asked")), r.jobErrors());
    }

    @Test
    void refusalsAreCountedByCode() {
        BenchReport r = report(List.of(job("a", 0, 10, 20, false)), Set.of(),
                Map.of("config_inactive", new FailureTally(3, "inactive")));
        assertEquals(3, r.refused());
        assertEquals(1, r.submitted());
    }

    @Test
    void throttledSubmissionsAreReportedApartFromRefusals() throws Exception {
        BenchReport r = report(List.of(job("a", 0, 10, 20, false)), Set.of(), Map.of("config_inactive", new FailureTally(2, "inactive")), 7);

        assertEquals(2, r.refused());
        assertEquals(7, r.throttled());
        assertTrue(BenchReportText.render(r).contains("1 in 0.5s (2.0 jobs/s), 2 refused, 7 throttled (429, retried)"),
                BenchReportText.render(r));
        assertEquals(7, ApiJson.parse(ApiJson.mapper().writeValueAsString(r)).get("throttled").asInt());
    }

    @Test
    void nothingFinishedHasNoThroughput() {
        BenchReport r = report(List.of(), Set.of("a", "b"), Map.of());
        assertNull(r.throughput());
        assertNull(r.elapsedSeconds());
        assertEquals(0, r.submitToDone().count());
        String text = BenchReportText.render(r);
        assertTrue(text.contains("finished        0 in -s end to end (- jobs/s), 2 unfinished"), text);
    }

    @Test
    void rendersAsTextAndAsSnakeCaseJson() throws Exception {
        BenchReport r = report(List.of(job("a", 0, 10, 100, false), job("b", 0, 20, 200, true)), Set.of(), Map.of());
        String text = BenchReportText.render(r);
        assertTrue(text.startsWith("bench run1: 4 x cpu.echo on echo-v1 (batch 2, concurrency 8, rate unlimited)\n"), text);
        assertTrue(text.contains("\nsubmit->done         100.0     200.0     200.0     200.0       2\n"), text);
        assertTrue(text.contains("\nsent->done           105.0     205.0     205.0     205.0       2\n"), text);
        assertTrue(text.contains("\njob errors      1 x cpu_fail: as asked\n"), text);
        JsonNode json = ApiJson.parse(ApiJson.mapper().writeValueAsString(r));
        assertEquals(200.0, json.get("submit_to_done").get("p99_ms").asDouble());
        assertEquals(15.0, json.get("sent_to_start").get("p50_ms").asDouble());
        assertEquals(1, json.get("statuses").get("failed").asInt());
        assertEquals(10.0, json.get("throughput").asDouble());
    }
}
