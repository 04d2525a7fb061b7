package io.spindle.model.testsupport;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builders of jobs, configs and artifacts for the store tests of every module, and helpers to wait on stages. */
public final class StoreFixtures {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    public static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123456789Z");

    private StoreFixtures() {}

    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete within " + TIMEOUT, e);
        }
    }

    /** The error code a stage failed with; fails the test when it succeeded or failed otherwise. */
    public static ErrorCode failureCode(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(SpindleException.class, e.getCause()).error().code();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not complete within " + TIMEOUT, e);
        }
    }

    public static JobEvent.Submitted submitted(String id, String type, String configId, Instant at) {
        ObjectNode input = Json.object().put("prompt", "a heron at dawn").put("steps", 30);
        return new JobEvent.Submitted(id, JobSpec.of(type, configId, input), 1, null, at);
    }

    /** A queued job at revision 1. */
    public static Job job(String id, String type, String configId, Instant createdAt) {
        return Job.submitted(submitted(id, type, configId, createdAt));
    }

    /** A job with every optional field set and awkward JSON inside, to prove the mapping loses nothing. */
    public static Job fullJob(String id) {
        ObjectNode input = Json.object();
        input.put("int", 7).put("long", 12_345_678_901L).put("double", 0.25).put("negative", -3)
                .put("bool", true).put("text", "ünïcödé \"quoted\"").putNull("nothing");
        input.put("big", new BigInteger("123456789012345678901234567890"));
        input.putObject("nested").put("a.b", 1).put("$dollar", "yes").putArray("list").add(1).add("two").addObject().put("x", 1.5);
        input.putArray("empty");
        JobSpec spec = new JobSpec("image.generate", "sdxl-base", input, 7, 4, 120, "idem-" + id,
                java.util.Map.of("team", "vision", "dotted.key", "v"));
        Job job = Job.submitted(new JobEvent.Submitted(id, spec, 3, "original-" + id, T0));
        job = job.apply(new JobEvent.Leased(id, 1, "node-a", "w1", T0.plusSeconds(30), T0.plusNanos(1)));
        job = job.apply(new JobEvent.Started(id, 1, T0.plusMillis(2)));
        job = job.apply(new JobEvent.RetryScheduled(id, 1, io.spindle.model.job.JobError.transientError("oom", "out of memory"),
                T0.plusSeconds(5), T0.plusMillis(3)));
        job = job.apply(new JobEvent.Leased(id, 2, "node-b", "w2", T0.plusSeconds(60), T0.plusMillis(4)));
        job = job.apply(new JobEvent.Started(id, 2, T0.plusMillis(5)));
        job = job.withProgress(new io.spindle.model.job.Progress(42.5, "halfway", T0.plusMillis(6)));
        ObjectNode outputs = Json.object().put("seed", 99L);
        outputs.putArray("scores").add(0.1).add(0.9);
        job = job.apply(new JobEvent.CancelRequested(id, "user", T0.plusMillis(7)));
        return job.apply(new JobEvent.Succeeded(id, 2, outputs, List.of("a1", "a2"), T0.plusMillis(8)));
    }

    public static ModelConfig config(String id, int version, Instant at) {
        ObjectNode params = Json.object().put("steps", 30).put("guidance", 7.5);
        params.putObject("scheduler").put("name", "euler").put("karras", true);
        return new ModelConfig(id, "Config " + id, version, List.of("image.generate", "image.*"), "comfyui",
                "sdxl-1.0", params, null, true, at);
    }

    public static Artifact artifact(String id, String jobId, Instant at) {
        return new Artifact(id, jobId, 1, "sdxl-base", 2, "image", "image/png", 1234, "ab".repeat(32),
                "s3://spindle/" + id, "w1", "node-a", at, List.of("parent-" + id));
    }
}
