package io.spindle.gateway.artifacts;

import io.spindle.model.artifact.Artifact;
import java.util.List;

/** Body of {@code GET /jobs/{id}/artifacts}: the job's artifacts, oldest first. */
public record ArtifactList(String jobId, List<Artifact> artifacts) {}
