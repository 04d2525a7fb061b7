package io.spindle.model.store;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Job views in this JVM's memory, for tests; same contract as the MongoDB store. */
public final class InMemoryJobViewStore implements JobViewStore {
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<Job>> job(String id) {
        return completedFuture(Optional.ofNullable(jobs.get(id)));
    }

    @Override
    public CompletionStage<Map<String, Job>> jobs(Collection<String> ids) {
        Map<String, Job> found = new LinkedHashMap<>();
        ids.forEach(id -> Optional.ofNullable(jobs.get(id)).ifPresent(j -> found.put(id, j)));
        return completedFuture(found);
    }

    @Override
    public CompletionStage<Void> putJobs(Collection<Job> views) {
        views.forEach(v -> jobs.merge(v.id(), v, (old, neu) -> neu.revision() > old.revision() ? neu : old));
        return completedFuture(null);
    }

    @Override
    public CompletionStage<JobPage> queryJobs(JobQuery q) {
        // Refusals complete the stage, as the contract says, rather than throw at the caller.
        if (q.limit() < 1 || q.limit() > JobQuery.MAX_LIMIT) {
            return failedFuture(new SpindleException(ErrorCode.INVALID_REQUEST,
                    "limit must be between 1 and " + JobQuery.MAX_LIMIT + ", got " + q.limit()));
        }
        JobCursor cursor;
        try {
            cursor = q.cursor() == null ? null : JobCursor.decode(q.cursor());
        } catch (SpindleException e) {
            return failedFuture(e);
        }
        List<Job> page = jobs.values().stream()
                .filter(j -> q.status() == null || j.status() == q.status())
                .filter(j -> q.type() == null || j.type().equals(q.type()))
                .filter(j -> q.configId() == null || j.configId().equals(q.configId()))
                .filter(j -> q.label() == null || q.label().matches(j))
                .filter(j -> q.since() == null || !j.createdAt().isBefore(q.since()))
                .filter(j -> q.until() == null || j.createdAt().isBefore(q.until()))
                .filter(j -> cursor == null || cursor.isBefore(j))
                .sorted(JobCursor.NEWEST_FIRST)
                .limit(q.limit() + 1L)
                .toList();
        if (page.size() > q.limit()) {
            List<Job> head = page.subList(0, q.limit());
            return completedFuture(new JobPage(head, JobCursor.after(head.get(head.size() - 1)).encode()));
        }
        return completedFuture(new JobPage(page, null));
    }

    @Override
    public CompletionStage<Map<JobStatus, Long>> countByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, jobs.values().stream().filter(j -> j.status() == status).count());
        }
        return completedFuture(counts);
    }
}
