package io.spindle.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.ServerUnreachableException;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Submits a plan's jobs: {@code POST /jobs} per job, or {@code POST /jobs/batch} when the batch is larger than one,
 * with at most {@code concurrency} requests in flight and paced to {@code rate} jobs/s when one is set. The first
 * request goes alone: if everything in it is refused (no such config, unreachable server…) the run stops there with
 * that error instead of repeating it a thousand times.
 */
public final class BenchSubmitter {
    /** The label that ties a run's jobs together (its value is the run id). */
    public static final String RUN_LABEL = "bench";
    static final String UNREACHABLE_CODE = "unreachable";

    /** The jobs the server accepted (id → its created_at), refusals by error code, and how long submitting took. */
    public record Submitted(Map<String, Instant> accepted, Map<String, FailureTally> refusals, Duration elapsed) {}

    private final SpindleClient client;
    private final BenchPlan plan;
    private final String runId;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    private final Map<String, FailureTally> refusals = new ConcurrentHashMap<>();

    public BenchSubmitter(SpindleClient client, BenchPlan plan, String runId) {
        this.client = client;
        this.plan = plan;
        this.runId = runId;
    }

    public Submitted submitAll() throws InterruptedException {
        JobSpec spec = new JobSpec(plan.type(), plan.configId(), plan.input(), plan.priority(), null, null, null, Map.of(RUN_LABEL, runId));
        int batches = (plan.jobs() + plan.batch() - 1) / plan.batch();
        long start = System.nanoTime();
        probe(spec);
        Semaphore inFlight = new Semaphore(plan.concurrency());
        for (int b = 1; b < batches; b++) {
            int size = Math.min(plan.batch(), plan.jobs() - b * plan.batch());
            if (plan.rateLimited()) {
                long due = start + (long) (b * (double) plan.batch() / plan.rate() * TimeUnit.SECONDS.toNanos(1));
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            inFlight.acquire();
            send(spec, size).whenComplete((reply, failure) -> {
                try {
                    record(reply, failure, size);
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(plan.concurrency());
        return new Submitted(Map.copyOf(accepted), Map.copyOf(refusals), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Sends the first batch alone and stops the run with its error when all of it was refused. */
    private void probe(JobSpec spec) {
        int size = Math.min(plan.batch(), plan.jobs());
        ApiReply reply = SpindleClient.join(send(spec, size));
        int before = accepted.size();
        record(reply, null, size);
        if (accepted.size() == before && plan.batch() > 1) {
            JsonNode first = reply.json().path("results").path(0);
            throw new ApiException(first.path("status").asInt(), first.path("error").path("code").asText("unknown"),
                    first.path("error").path("message").asText("every job of the first batch was refused"),
                    first.path("error").path("details"), reply.body());
        }
    }

    private CompletableFuture<ApiReply> send(JobSpec spec, int size) {
        if (plan.batch() == 1) {
            return client.submitAsync(spec);
        }
        List<JobSpec> specs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            specs.add(spec);
        }
        return client.submitBatchAsync(specs);
    }

    private void record(ApiReply reply, Throwable failure, int size) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String code = cause instanceof ApiException api ? api.code()
                    : cause instanceof ServerUnreachableException ? UNREACHABLE_CODE : cause.getClass().getSimpleName();
            refuse(code, cause.getMessage(), size);
            return;
        }
        if (plan.batch() == 1) {
            accept(reply.json());
            return;
        }
        for (JsonNode item : reply.json().path("results")) {
            if (item.hasNonNull("job")) {
                accept(item.get("job"));
            } else {
                JsonNode error = item.path("error");
                refuse(error.path("code").asText("unknown"), error.path("message").asText(null), 1);
            }
        }
    }

    private void accept(JsonNode jobJson) {
        Job job = ApiJson.convert(jobJson, Job.class);
        accepted.put(job.id(), job.createdAt());
    }

    private void refuse(String code, String message, int count) {
        refusals.merge(code, new FailureTally(count, message), FailureTally::plus);
    }
}
