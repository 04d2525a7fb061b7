package io.spindle.model.store;

import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The queryable read model: job views (projected from the journal), the ModelConfig registry,
 * artifact metadata, and the projection's stored offsets. Failures complete the stage with a
 * {@link io.spindle.model.error.SpindleException} carrying a typed error.
 */
public interface ReadStore {

    CompletionStage<Optional<Job>> job(String id);

    CompletionStage<Map<String, Job>> jobs(Collection<String> ids);

    /** Stores each view unless the stored view of that job already has the same or a later revision. */
    CompletionStage<Void> putJobs(Collection<Job> views);

    CompletionStage<JobPage> queryJobs(JobQuery query);

    /** Registers version 1 of a config; fails with ALREADY_EXISTS when the id is taken. */
    CompletionStage<ModelConfig> createConfig(ModelConfig config);

    /** The latest version of a config. */
    CompletionStage<Optional<ModelConfig>> config(String id);

    /** The latest version of every config, by id. */
    CompletionStage<List<ModelConfig>> configs();

    /** Stores a new latest version (its version must be the current one + 1) and keeps the older ones. */
    CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next);

    /** Flips the active flag of the latest version without making a new version. */
    CompletionStage<ModelConfig> setConfigActive(String id, boolean active);

    /** Every version of a config, oldest first. */
    CompletionStage<List<ModelConfig>> configVersions(String id);

    CompletionStage<Void> putArtifacts(Collection<Artifact> artifacts);

    CompletionStage<Optional<Artifact>> artifact(String id);

    CompletionStage<List<Artifact>> artifactsOfJob(String jobId);

    /** The offset a projection stored last, if any. */
    CompletionStage<Optional<Long>> offset(String projection);

    CompletionStage<Void> saveOffset(String projection, long offset);
}
