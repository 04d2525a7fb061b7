package io.spindle.model.artifact;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The catalog of stored artifacts: their metadata and lineage (job, attempt, config, worker, parents), the
 * system of record for what the artifact store holds. The bytes live elsewhere, at each artifact's URI.
 * Failures complete the stage with a {@link io.spindle.model.error.SpindleException} carrying a typed error.
 */
public interface ArtifactCatalog {

    /** Records each artifact, replacing an earlier record with the same id. */
    CompletionStage<Void> putArtifacts(Collection<Artifact> artifacts);

    CompletionStage<Optional<Artifact>> artifact(String id);

    /** The artifacts of a job, oldest first (ties by id). */
    CompletionStage<List<Artifact>> artifactsOfJob(String jobId);

    /** The artifacts that name {@code parentId} among their parents, oldest first (ties by id), at most {@code limit}. */
    CompletionStage<List<Artifact>> childrenOf(String parentId, int limit);
}
