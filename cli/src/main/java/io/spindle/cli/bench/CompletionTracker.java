package io.spindle.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiException;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.JobFilter;
import io.spindle.cli.client.ServerUnreachableException;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.job.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a set of jobs is terminal, in few and cheap round trips. While many jobs are pending it asks for the
 * newest of them only ({@code GET /jobs/{id}}, one entity read): jobs of one priority run about in submit order, so
 * until the newest is terminal the others are very likely not all done, and asking costs the node next to nothing
 * (a list query would read and send a page of views at every poll). Once it is terminal, it pages
 * through the terminal statuses once to collect them. The last few stragglers (or a small run) are asked for one
 * by one ({@code GET /jobs/{id}}, which reads the entity and so is not subject to the read model's lag). Server
 * hiccups (5xx, unreachable) are retried until a limit.
 */
public final class CompletionTracker {
    static final List<String> TERMINAL = List.of("succeeded", "failed", "canceled", "dead_lettered");
    static final int PAGE = 1000;
    /** At most this many pending jobs are asked for one by one… */
    static final int ONE_BY_ONE = 32;
    static final int MAX_CONSECUTIVE_ERRORS = 10;
    private static final int FIRST_SERVER_ERROR = 500;

    /** The terminal jobs by id, those still unfinished when the wait timed out, and how long waiting took. */
    public record Outcome(Map<String, Job> finished, Set<String> unfinished, Duration waited) {}

    private final SpindleClient client;
    private final JobFilter scope;
    private final Duration poll;
    private final Duration timeout;

    /** Tracks jobs of {@code configId} created at or after {@code since}. */
    public CompletionTracker(SpindleClient client, String configId, Instant since, Duration poll, Duration timeout) {
        this.client = client;
        this.scope = JobFilter.none().withConfigId(configId).withSince(since).withLimit(PAGE);
        this.poll = poll;
        this.timeout = timeout;
    }

    /** Waits for {@code ids}, given in submit order. */
    public Outcome await(List<String> ids) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Set<String> pending = new LinkedHashSet<>(ids);
        Map<String, Job> finished = new HashMap<>();
        int errors = 0;
        while (!pending.isEmpty()) {
            try {
                if (pending.size() <= ONE_BY_ONE) {
                    askOneByOne(pending, finished);
                } else if (newestIsTerminal(ids, pending, finished)) {
                    collectTerminal(pending, finished);
                }
                errors = 0;
            } catch (ServerUnreachableException | ApiException e) {
                boolean retryable = e instanceof ServerUnreachableException || ((ApiException) e).status() >= FIRST_SERVER_ERROR;
                if (!retryable || ++errors > MAX_CONSECUTIVE_ERRORS) {
                    throw e;
                }
            }
            if (pending.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(poll.toMillis());
        }
        return new Outcome(finished, pending, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Asks for the most recently submitted pending job; true (and it is collected) when it is terminal. */
    private boolean newestIsTerminal(List<String> submitOrder, Set<String> pending, Map<String, Job> finished) {
        String newest = null;
        for (int i = submitOrder.size() - 1; i >= 0 && newest == null; i--) {
            if (pending.contains(submitOrder.get(i))) {
                newest = submitOrder.get(i);
            }
        }
        Job job = client.job(newest).as(Job.class);
        if (!job.status().isTerminal()) {
            return false;
        }
        pending.remove(newest);
        finished.put(newest, job);
        return true;
    }

    private void collectTerminal(Set<String> pending, Map<String, Job> finished) {
        for (String status : TERMINAL) {
            JobFilter filter = scope.withStatus(status);
            while (filter != null && !pending.isEmpty()) {
                JsonNode page = client.jobs(filter).json();
                for (JsonNode job : page.path("jobs")) {
                    String id = job.path("id").asText();
                    if (pending.remove(id)) {
                        finished.put(id, ApiJson.convert(job, Job.class));
                    }
                }
                filter = next(filter, page);
            }
        }
    }

    private void askOneByOne(Set<String> pending, Map<String, Job> finished) {
        List<CompletableFuture<ApiReply>> calls = new ArrayList<>(pending.size());
        pending.forEach(id -> calls.add(client.jobAsync(id)));
        for (CompletableFuture<ApiReply> call : calls) {
            Job job = SpindleClient.join(call).as(Job.class);
            if (job.status().isTerminal() && pending.remove(job.id())) {
                finished.put(job.id(), job);
            }
        }
    }

    private static JobFilter next(JobFilter filter, JsonNode page) {
        String cursor = page.path("next_cursor").textValue();
        return cursor == null ? null : filter.withCursor(cursor);
    }
}
