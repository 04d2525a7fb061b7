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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits a plan's jobs: {@code POST /jobs} per job, or {@code POST /jobs/batch} when the batch is larger than one,
 * with at most {@code concurrency} requests in flight and paced to {@code rate} jobs/s when one is set. The first
 * request goes alone: if everything in it is refused (no such config, unreachable server…) the run stops there with
 * that error instead of repeating it a thousand times.
 *
 * <p>A saturated node answers 429 {@code overloaded} and created nothing: those jobs are counted as throttled (not
 * refused) and submitted again after the server's Retry-After delay, holding their request slot meanwhile so the
 * bench backs off as the server asks. After the plan's timeout they count as refused {@code overloaded}.
 *
 * <p>A 503 naming a {@code job_id} is a submit whose fate the node could not tell in time: once submitting is
 * over, each such job is looked up ({@code GET /jobs/{id}}); one that exists is tracked like any other, one that
 * does not is a refusal. Their number is reported as {@code unsettled}.
 */
public final class BenchSubmitter {
    /** The label that ties a run's jobs together (its value is the run id). */
    public static final String RUN_LABEL = "bench";
    static final String UNREACHABLE_CODE = "unreachable";
    static final String OVERLOADED_CODE = "overloaded";
    /** Refusal code of a job whose submit was answered "may or may not exist" and that turned out not to exist. */
    static final String UNSETTLED_CODE = "unavailable";
    private static final String JOB_ID = "job_id";
    /** The wait before resubmitting a 429 that names no Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final int TOO_MANY_REQUESTS = 429;

    /**
     * The jobs the server accepted (id → its created_at), final refusals by error code, how many job submissions were
     * answered 429 and retried, how long submitting took, and when the bench sent the request that created each job
     * (id → the client's clock; jobs found by a later look-up have none).
     */
    public record Submitted(Map<String, Instant> accepted, Map<String, FailureTally> refusals, int throttled, int unsettled,
                            Duration elapsed, Map<String, Instant> sentAt) {}

    /** What one request left to retry: {@code jobs} answered 429, to be sent again after {@code delay}. */
    private record Throttled(int jobs, Duration delay) {
        static final Throttled NONE = new Throttled(0, Duration.ZERO);
    }

    private final SpindleClient client;
    private final BenchPlan plan;
    private final String runId;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
    private final Map<String, FailureTally> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final Queue<String> unsettled = new ConcurrentLinkedQueue<>();

    public BenchSubmitter(SpindleClient client, BenchPlan plan, String runId) {
        this.client = client;
        this.plan = plan;
        this.runId = runId;
    }

    public Submitted submitAll() throws InterruptedException {
        JobSpec spec = new JobSpec(plan.type(), plan.configId(), plan.input(), plan.priority(), null, null, null, Map.of(RUN_LABEL, runId));
        int batches = (plan.jobs() + plan.batch() - 1) / plan.batch();
        long start = System.nanoTime();
        long giveUp = start + plan.timeout().toNanos();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spindle-bench-retry");
            t.setDaemon(true);
            return t;
        });
        try {
            probe(spec, retries, giveUp);
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
                submit(spec, size, retries, giveUp).whenComplete((done, failure) -> inFlight.release());
            }
            inFlight.acquire(plan.concurrency());
        } finally {
            retries.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int unknown = unsettled.size();
        settle();
        return new Submitted(Map.copyOf(accepted), Map.copyOf(refusals), throttled.get(), unknown, elapsed, Map.copyOf(sentAt));
    }

    /** Looks up each job whose submit was answered "may or may not exist". */
    private void settle() {
        for (String id = unsettled.poll(); id != null; id = unsettled.poll()) {
            try {
                accept(client.job(id).json(), null);
            } catch (ApiException e) {
                refuse(e.isNotFound() ? UNSETTLED_CODE : e.code(), e.isNotFound() ? "not created" : e.getMessage(), 1);
            } catch (ServerUnreachableException e) {
                refuse(UNREACHABLE_CODE, e.getMessage(), 1);
            }
        }
    }

    /** Sends the first batch alone and stops the run with its error when all of it was refused (429s are retried). */
    private void probe(JobSpec spec, ScheduledExecutorService retries, long giveUp) {
        int size = Math.min(plan.batch(), plan.jobs());
        int before = accepted.size();
        ApiReply reply;
        Instant sent = Instant.now();
        try {
            reply = SpindleClient.join(send(spec, size));
        } catch (ApiException e) {
            if (!e.isOverloaded()) {
                throw e;
            }
            SpindleClient.join(retry(spec, record(null, e, size, sent), retries, giveUp));
            return;
        }
        Throttled again = record(reply, null, size, sent);
        if (accepted.size() == before && again.jobs() == 0 && plan.batch() > 1) {
            JsonNode first = reply.json().path("results").path(0);
            throw new ApiException(first.path("status").asInt(), first.path("error").path("code").asText("unknown"),
                    first.path("error").path("message").asText("every job of the first batch was refused"),
                    first.path("error").path("details"), reply.body());
        }
        if (again.jobs() > 0) {
            SpindleClient.join(retry(spec, again, retries, giveUp));
        }
    }

    /** Submits {@code size} jobs and, after Retry-After, again those answered 429; completes when none is left. */
    private CompletableFuture<Void> submit(JobSpec spec, int size, ScheduledExecutorService retries, long giveUp) {
        Instant sent = Instant.now();
        return send(spec, size)
                .handle((reply, failure) -> record(reply, failure, size, sent))
                .thenCompose(again -> again.jobs() == 0 ? CompletableFuture.completedFuture(null) : retry(spec, again, retries, giveUp));
    }

    private CompletableFuture<Void> retry(JobSpec spec, Throttled again, ScheduledExecutorService retries, long giveUp) {
        if (System.nanoTime() + again.delay().toNanos() - giveUp > 0) {
            refuse(OVERLOADED_CODE, "still answered 429 when the bench timeout ran out", again.jobs());
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> due = new CompletableFuture<>();
        retries.schedule(() -> due.complete(null), again.delay().toMillis(), TimeUnit.MILLISECONDS);
        return due.thenCompose(ready -> submit(spec, again.jobs(), retries, giveUp));
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

    /** Counts what one answer accepted and refused; answers what it left to retry. */
    private Throttled record(ApiReply reply, Throwable failure, int size, Instant sent) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof ApiException api && api.isOverloaded()) {
                throttled.addAndGet(size);
                return new Throttled(size, api.retryAfter().orElse(DEFAULT_RETRY_AFTER));
            }
            if (cause instanceof ApiException api && api.details().path(JOB_ID).isTextual()) {
                unsettled.add(api.details().get(JOB_ID).asText());
                return Throttled.NONE;
            }
            String code = cause instanceof ApiException api ? api.code()
                    : cause instanceof ServerUnreachableException ? UNREACHABLE_CODE : cause.getClass().getSimpleName();
            refuse(code, cause.getMessage(), size);
            return Throttled.NONE;
        }
        if (plan.batch() == 1) {
            accept(reply.json(), sent);
            return Throttled.NONE;
        }
        int again = 0;
        Duration delay = Duration.ZERO;
        for (JsonNode item : reply.json().path("results")) {
            if (item.hasNonNull("job")) {
                accept(item.get("job"), sent);
            } else if (item.path("status").asInt() == TOO_MANY_REQUESTS) {
                again++;
                JsonNode seconds = item.path("error").path("details").path("retry_after_seconds");
                Duration asked = seconds.canConvertToLong() ? Duration.ofSeconds(seconds.asLong()) : DEFAULT_RETRY_AFTER;
                delay = asked.compareTo(delay) > 0 ? asked : delay;
            } else {
                JsonNode error = item.path("error");
                refuse(error.path("code").asText("unknown"), error.path("message").asText(null), 1);
            }
        }
        throttled.addAndGet(again);
        return again == 0 ? Throttled.NONE : new Throttled(again, delay);
    }

    private void accept(JsonNode jobJson, Instant sent) {
        Job job = ApiJson.convert(jobJson, Job.class);
        accepted.put(job.id(), job.createdAt());
        if (sent != null) {
            sentAt.put(job.id(), sent);
        }
    }

    private void refuse(String code, String message, int count) {
        refusals.merge(code, new FailureTally(count, message), FailureTally::plus);
    }
}
