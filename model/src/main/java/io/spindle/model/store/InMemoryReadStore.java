package io.spindle.model.store;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The read model in this JVM's memory, for unit tests; same contract as the MongoDB one. */
public final class InMemoryReadStore implements ReadStore {
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, List<ModelConfig>> configVersions = new LinkedHashMap<>();
    private final Map<String, Artifact> artifacts = new ConcurrentHashMap<>();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

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
        Stream<Job> s = jobs.values().stream()
                .filter(j -> q.status() == null || j.status() == q.status())
                .filter(j -> q.type() == null || j.type().equals(q.type()))
                .filter(j -> q.configId() == null || j.configId().equals(q.configId()))
                .filter(j -> q.since() == null || !j.createdAt().isBefore(q.since()))
                .filter(j -> q.until() == null || j.createdAt().isBefore(q.until()))
                .filter(j -> cursor == null || cursor.isBefore(j))
                .sorted(JobCursor.NEWEST_FIRST);
        List<Job> page = s.limit(q.limit() + 1L).toList();
        if (page.size() > q.limit()) {
            List<Job> head = page.subList(0, q.limit());
            return completedFuture(new JobPage(head, JobCursor.after(head.get(head.size() - 1)).encode()));
        }
        return completedFuture(new JobPage(page, null));
    }

    @Override
    public synchronized CompletionStage<ModelConfig> createConfig(ModelConfig config) {
        if (configVersions.containsKey(config.id())) {
            return failedFuture(new SpindleException(ErrorCode.ALREADY_EXISTS, "config '" + config.id() + "' already exists"));
        }
        configVersions.put(config.id(), new ArrayList<>(List.of(config)));
        return completedFuture(config);
    }

    @Override
    public synchronized CompletionStage<Optional<ModelConfig>> config(String id) {
        return completedFuture(Optional.ofNullable(configVersions.get(id)).map(v -> v.get(v.size() - 1)));
    }

    @Override
    public synchronized CompletionStage<List<ModelConfig>> configs() {
        return completedFuture(configVersions.values().stream().map(v -> v.get(v.size() - 1))
                .sorted(Comparator.comparing(ModelConfig::id)).toList());
    }

    @Override
    public synchronized CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next) {
        List<ModelConfig> versions = configVersions.get(next.id());
        if (versions == null) {
            return failedFuture(new SpindleException(ErrorCode.CONFIG_NOT_FOUND, "config '" + next.id() + "' does not exist"));
        }
        int current = versions.get(versions.size() - 1).version();
        if (next.version() != current + 1) {
            return failedFuture(new SpindleException(ErrorCode.INVALID_STATE,
                    "config '" + next.id() + "' is at version " + current + ", cannot store version " + next.version()));
        }
        versions.add(next);
        return completedFuture(next);
    }

    @Override
    public synchronized CompletionStage<ModelConfig> setConfigActive(String id, boolean active) {
        List<ModelConfig> versions = configVersions.get(id);
        if (versions == null) {
            return failedFuture(new SpindleException(ErrorCode.CONFIG_NOT_FOUND, "config '" + id + "' does not exist"));
        }
        ModelConfig updated = versions.get(versions.size() - 1).withActive(active);
        versions.set(versions.size() - 1, updated);
        return completedFuture(updated);
    }

    @Override
    public synchronized CompletionStage<List<ModelConfig>> configVersions(String id) {
        return completedFuture(List.copyOf(configVersions.getOrDefault(id, List.of())));
    }

    @Override
    public CompletionStage<Void> putArtifacts(Collection<Artifact> values) {
        values.forEach(a -> artifacts.put(a.id(), a));
        return completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Artifact>> artifact(String id) {
        return completedFuture(Optional.ofNullable(artifacts.get(id)));
    }

    @Override
    public CompletionStage<List<Artifact>> artifactsOfJob(String jobId) {
        return completedFuture(artifacts.values().stream().filter(a -> a.jobId().equals(jobId))
                .sorted(Comparator.comparing(Artifact::createdAt).thenComparing(Artifact::id)).toList());
    }

    @Override
    public CompletionStage<Optional<Long>> offset(String projection) {
        return completedFuture(Optional.ofNullable(offsets.get(projection)));
    }

    @Override
    public CompletionStage<Void> saveOffset(String projection, long offset) {
        offsets.put(projection, offset);
        return completedFuture(null);
    }
}
