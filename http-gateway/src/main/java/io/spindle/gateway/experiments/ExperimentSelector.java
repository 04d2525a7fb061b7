package io.spindle.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.experiment.Sampling;
import io.spindle.model.experiment.Selection;
import io.spindle.model.experiment.SourceJob;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.store.LabelFilter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Freezes a selection: pages the read model by status, type, config and time (newest first, at most
 * {@code maxScan} jobs), keeps those matching the alias and labels, draws the sample (seeded shuffle, then the
 * first n) and turns each job into a {@link SourceJob} with its input's SHA-256.
 */
final class ExperimentSelector {
    private final JobViewStore views;
    private final int maxScan;

    ExperimentSelector(JobViewStore views, int maxScan) {
        this.views = views;
        this.maxScan = maxScan;
    }

    CompletionStage<List<SourceJob>> select(Selection s) {
        JobStatus status = s.status() == null ? JobStatus.SUCCEEDED : s.status();
        // The store filters by one label; the others (and the alias) are matched below.
        LabelFilter label = s.labels().entrySet().stream().findFirst().map(e -> new LabelFilter(e.getKey(), e.getValue())).orElse(null);
        JobQuery query = new JobQuery(status, s.type(), s.configId(), label, s.since(), s.until(), JobQuery.MAX_LIMIT, null);
        return page(query, new ArrayList<>()).thenApply(jobs -> {
            List<Job> matching = new ArrayList<>(jobs.stream()
                    .filter(j -> s.alias() == null || s.alias().equals(j.alias()))
                    .filter(j -> j.labels().entrySet().containsAll(s.labels().entrySet()))
                    .filter(j -> j.origin() == null) // replays are not sources of other experiments
                    .toList());
            Collections.reverse(matching); // oldest first: a stable order for reports
            if (s.sample() != null) {
                long seed = s.seed() == null ? 0 : s.seed();
                matching = s.stratify() == null ? Sampling.simple(matching, s.sample(), seed)
                        : Sampling.stratified(matching, s.sample(), seed, s::stratumOf);
            }
            return matching.stream().map(ExperimentSelector::source).toList();
        });
    }

    private CompletionStage<List<Job>> page(JobQuery query, List<Job> acc) {
        return views.queryJobs(query).thenCompose(page -> {
            acc.addAll(page.jobs());
            if (page.nextCursor() == null || acc.size() >= maxScan) {
                return CompletableFuture.completedFuture(acc.size() > maxScan ? acc.subList(0, maxScan) : acc);
            }
            return page(query.withCursor(page.nextCursor()), acc);
        });
    }

    private static SourceJob source(Job j) {
        Long latency = j.finishedAt() == null ? null
                : Duration.between(j.startedAt() != null ? j.startedAt() : j.createdAt(), j.finishedAt()).toMillis();
        return new SourceJob(j.id(), j.type(), j.configId(), j.configVersion(), j.input(), digest(j.input()), j.outputs(),
                j.artifactIds(), latency);
    }

    static String digest(JsonNode input) {
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(input);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
