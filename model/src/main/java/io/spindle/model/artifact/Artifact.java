package io.spindle.model.artifact;

import java.time.Instant;
import java.util.List;

/**
 * Metadata of one stored output (image, audio, video, JSON, text…) with its lineage: which job and
 * attempt produced it, on which config version, worker and node, and which artifacts it derives from.
 */
public record Artifact(
        String id,
        String jobId,
        int attempt,
        String configId,
        Integer configVersion,
        String kind,
        String mime,
        long size,
        String sha256,
        String uri,
        String worker,
        String node,
        Instant createdAt,
        List<String> parentIds) {

    public Artifact {
        parentIds = parentIds == null ? List.of() : List.copyOf(parentIds);
    }
}
