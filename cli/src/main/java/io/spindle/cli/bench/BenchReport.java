package io.spindle.cli.bench;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The figures of one bench run. Latencies and the end-to-end throughput come from the jobs' own server-side
 * timestamps (created_at → started_at / finished_at), so client polling does not blur them; {@code sentToStart} and
 * {@code sentToDone} start instead when the bench sent the job's request (what a client waits, including HTTP and
 * the job entity's creation; comparable only when bench and node share a clock, e.g. one machine); the submit rate is
 * client wall time; {@code throttled} counts job submissions the server answered 429 (overloaded, nothing created)
 * and the bench resubmitted after Retry-After, apart from the final {@code refused}; {@code unsettled} counts submits
 * answered 503 "may or may not exist", each looked up afterwards (and counted as submitted or refused). Printed as text by {@link BenchReportText}, or as JSON (snake_case of these fields).
 */
public record BenchReport(
        String runId,
        String type,
        String configId,
        int jobs,
        int batch,
        int concurrency,
        Double rateLimit,
        int submitted,
        int refused,
        int throttled,
        int unsettled,
        double submitSeconds,
        double submitRate,
        int finished,
        int unfinished,
        double waitSeconds,
        Double elapsedSeconds,
        Double throughput,
        LatencyStats submitToStart,
        LatencyStats submitToDone,
        LatencyStats sentToStart,
        LatencyStats sentToDone,
        Map<String, Integer> statuses,
        Map<String, FailureTally> refusals,
        Map<String, FailureTally> jobErrors) {

    private static final double NANOS_PER_SECOND = 1e9;

    public BenchReport {
        // Copies that keep their order: statuses in lifecycle order, failures by code.
        statuses = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(statuses)));
        refusals = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(refusals)));
        jobErrors = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(jobErrors)));
    }

    /** Computes the figures from what the submitter and the tracker saw. */
    public static BenchReport of(BenchPlan plan, String runId, BenchSubmitter.Submitted submitted, CompletionTracker.Outcome outcome) {
        Collection<Job> done = outcome.finished().values();
        List<Duration> toStart = new ArrayList<>();
        List<Duration> toDone = new ArrayList<>();
        List<Duration> sentToStart = new ArrayList<>();
        List<Duration> sentToDone = new ArrayList<>();
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (JobStatus s : JobStatus.values()) {
            if (s.isTerminal()) {
                statuses.put(s.wireName(), 0);
            }
        }
        Map<String, FailureTally> jobErrors = new TreeMap<>();
        Instant firstCreated = null;
        Instant lastFinished = null;
        for (Job j : done) {
            statuses.merge(j.status().wireName(), 1, Integer::sum);
            Instant sent = submitted.sentAt().get(j.id());
            if (j.startedAt() != null) {
                toStart.add(Duration.between(j.createdAt(), j.startedAt()));
                if (sent != null) {
                    sentToStart.add(Duration.between(sent, j.startedAt()));
                }
            }
            if (j.finishedAt() != null) {
                toDone.add(Duration.between(j.createdAt(), j.finishedAt()));
                if (sent != null) {
                    sentToDone.add(Duration.between(sent, j.finishedAt()));
                }
                lastFinished = lastFinished == null || j.finishedAt().isAfter(lastFinished) ? j.finishedAt() : lastFinished;
            }
            firstCreated = firstCreated == null || j.createdAt().isBefore(firstCreated) ? j.createdAt() : firstCreated;
            if (j.status() != JobStatus.SUCCEEDED && j.lastError() != null) {
                jobErrors.merge(j.lastError().code(), new FailureTally(1, j.lastError().message()), FailureTally::plus);
            }
        }
        Double elapsed = firstCreated == null || lastFinished == null ? null
                : Duration.between(firstCreated, lastFinished).toNanos() / NANOS_PER_SECOND;
        Double throughput = elapsed == null || elapsed <= 0 ? null : done.size() / elapsed;
        double submitSeconds = submitted.elapsed().toNanos() / NANOS_PER_SECOND;
        int accepted = submitted.accepted().size();
        int refused = submitted.refusals().values().stream().mapToInt(FailureTally::count).sum();
        return new BenchReport(runId, plan.type(), plan.configId(), plan.jobs(), plan.batch(), plan.concurrency(),
                plan.rateLimited() ? plan.rate() : null, accepted, refused, submitted.throttled(), submitted.unsettled(), submitSeconds,
                submitSeconds > 0 ? accepted / submitSeconds : 0, done.size(), outcome.unfinished().size(),
                outcome.waited().toNanos() / NANOS_PER_SECOND, elapsed, throughput,
                LatencyStats.of(toStart), LatencyStats.of(toDone), LatencyStats.of(sentToStart), LatencyStats.of(sentToDone), statuses,
                new TreeMap<>(submitted.refusals()), jobErrors);
    }
}
