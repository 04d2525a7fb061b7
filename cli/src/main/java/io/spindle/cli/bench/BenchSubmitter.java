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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits a plan's jobs: {@code POST /jobs} per job, or {@code POST /jobs/batch} when the batch is larger than one,
 * from {@code concurrency} threads, each sending one request at a time on its own connection and writing and reading
 * it on its own thread ({@link SpindleClient#submitDirect}: the bench shares the machine with the node it measures, and
 * the JDK's asynchronous client costs about three times the CPU per request), paced to {@code rate} jobs/s when one
 * is set. Jobs are sent without an idempotency key, as a client that submits each job once does: nothing is sent
 * again except what the node refused with 429 (created nothing), and the node gives each job a key of its own, which
 * a 503 "may or may not exist" names with the job's id. A client key would cost the node a lookup of the key's job
 * before each submit (docs/performance.md). The first request goes alone: if everything in it is refused (no such
 * config, unreachable server…) the run stops there with that error instead of repeating it a thousand times.
 *
 * <p>A saturated node answers 429 {@code overloaded} and created nothing: those jobs are counted as throttled (not
 * refused) and submitted again after the server's Retry-After delay by the thread that sent them, which holds its
 * request slot meanwhile so the bench backs off as the server asks. After the plan's timeout they count as refused
 * {@code overloaded}.
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
    /** Refusal code of the jobs of a batch whose answer had fewer results than jobs: the API names none of them. */
    static final String UNANSWERED_CODE = "unanswered";
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
    private record Throttled(List<JobSpec> jobs, Duration delay) {
        static final Throttled NONE = new Throttled(List.of(), Duration.ZERO);
    }

    private final SpindleClient client;
    private final BenchPlan plan;
    private final JobSpec spec;
    private final Map<String, Instant> accepted = new ConcurrentHashMap<>();
    private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
    private final Map<String, FailureTally> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final Queue<String> unsettled = new ConcurrentLinkedQueue<>();

    public BenchSubmitter(SpindleClient client, BenchPlan plan, String runId) {
        this.client = client;
        this.plan = plan;
        this.spec = new JobSpec(plan.type(), plan.configId(), plan.input(), plan.priority(), null, null, null, Map.of(RUN_LABEL, runId));
    }

    public Submitted submitAll() throws InterruptedException {
        int batches = (plan.jobs() + plan.batch() - 1) / plan.batch();
        long start = System.nanoTime();
        long giveUp = start + plan.timeout().toNanos();
        probe(giveUp);
        AtomicInteger nextBatch = new AtomicInteger(1);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < Math.min(plan.concurrency(), batches - 1); i++) {
            Thread sender = new Thread(() -> sendBatches(nextBatch, batches, start, giveUp), "spindle-bench-submit-" + i);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
        try {
            for (Thread sender : senders) {
                sender.join();
            }
        } finally {
            senders.forEach(Thread::interrupt);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int unknown = unsettled.size();
        settle();
        return new Submitted(Map.copyOf(accepted), Map.copyOf(refusals), throttled.get(), unknown, elapsed, Map.copyOf(sentAt));
    }

    /** One sender: takes the next batch number until none is left, sends it (paced) and its retries. */
    private void sendBatches(AtomicInteger nextBatch, int batches, long start, long giveUp) {
        try {
            for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                if (plan.rateLimited()) {
                    long due = start + (long) (b * (double) plan.batch() / plan.rate() * TimeUnit.SECONDS.toNanos(1));
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                submitUntilSettled(batch(b), giveUp);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The jobs of batch {@code b}. */
    private List<JobSpec> batch(int b) {
        int from = b * plan.batch();
        int to = Math.min(plan.jobs(), from + plan.batch());
        return Collections.nCopies(to - from, spec);
    }

    /** Sends {@code jobs}, and after Retry-After again those answered 429, until none is left or the timeout ran out. */
    private void submitUntilSettled(List<JobSpec> jobs, long giveUp) throws InterruptedException {
        resend(submit(jobs), giveUp);
    }

    /** Sends the jobs answered 429 again after their Retry-After, until none is left or the timeout ran out. */
    private void resend(Throttled throttledJobs, long giveUp) throws InterruptedException {
        for (Throttled again = throttledJobs; !again.jobs().isEmpty(); again = submit(again.jobs())) {
            if (System.nanoTime() + again.delay().toNanos() - giveUp > 0) {
                refuse(OVERLOADED_CODE, "still answered 429 when the bench timeout ran out", again.jobs().size());
                return;
            }
            TimeUnit.MILLISECONDS.sleep(again.delay().toMillis());
        }
    }

    private Throttled submit(List<JobSpec> jobs) {
        Instant sent = Instant.now();
        ApiReply reply;
        try {
            reply = send(jobs);
        } catch (RuntimeException e) {
            return record(null, e, jobs, sent);
        }
        return record(reply, null, jobs, sent);
    }

    private ApiReply send(List<JobSpec> jobs) {
        return plan.batch() == 1 ? client.submitDirect(jobs.get(0)) : client.submitBatchDirect(jobs);
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
    private void probe(long giveUp) throws InterruptedException {
        List<JobSpec> first = batch(0);
        int before = accepted.size();
        ApiReply reply;
        Instant sent = Instant.now();
        try {
            reply = send(first);
        } catch (ApiException e) {
            if (!e.isOverloaded()) {
                throw e;
            }
            resend(record(null, e, first, sent), giveUp);
            return;
        }
        Throttled again = record(reply, null, first, sent);
        if (accepted.size() == before && again.jobs().isEmpty() && plan.batch() > 1) {
            JsonNode item = reply.json().path("results").path(0);
            throw new ApiException(item.path("status").asInt(), item.path("error").path("code").asText("unknown"),
                    item.path("error").path("message").asText("every job of the first batch was refused"),
                    item.path("error").path("details"), reply.body());
        }
        resend(again, giveUp);
    }

    /** Counts what one answer accepted and refused; answers what it left to retry. */
    private Throttled record(ApiReply reply, RuntimeException cause, List<JobSpec> jobs, Instant sent) {
        int size = jobs.size();
        if (cause != null) {
            if (cause instanceof ApiException api && api.isOverloaded()) {
                throttled.addAndGet(size);
                return new Throttled(jobs, api.retryAfter().orElse(DEFAULT_RETRY_AFTER));
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
        List<JobSpec> again = new ArrayList<>();
        Duration delay = Duration.ZERO;
        JsonNode results = reply.json().path("results");
        for (int i = 0; i < Math.min(results.size(), size); i++) {
            JsonNode item = results.get(i);
            if (item.hasNonNull("job")) {
                accept(item.get("job"), sent);
            } else if (item.path("status").asInt() == TOO_MANY_REQUESTS) {
                again.add(jobs.get(i));
                JsonNode seconds = item.path("error").path("details").path("retry_after_seconds");
                Duration asked = seconds.canConvertToLong() ? Duration.ofSeconds(seconds.asLong()) : DEFAULT_RETRY_AFTER;
                delay = asked.compareTo(delay) > 0 ? asked : delay;
            } else {
                JsonNode error = item.path("error");
                refuse(error.path("code").asText("unknown"), error.path("message").asText(null), 1);
            }
        }
        if (results.size() < size) {
            // A breach of the batch contract (one result per job, in order): the missing jobs may or may not exist,
            // and nothing names them, so they count as refused rather than vanish from the report.
            refuse(UNANSWERED_CODE, "the batch answer had " + results.size() + " results for " + size + " jobs", size - results.size());
        }
        throttled.addAndGet(again.size());
        return again.isEmpty() ? Throttled.NONE : new Throttled(again, delay);
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
