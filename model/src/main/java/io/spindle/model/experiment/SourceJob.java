package io.spindle.model.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A selected job, frozen at creation: what the replays need (type, config version, input with its SHA-256 digest)
 * and what the original arm is (its outputs, artifacts and run time), so a report never depends on the job store.
 */
public record SourceJob(String jobId, String type, String configId, Integer configVersion, JsonNode input, String inputDigest,
                        ObjectNode outputs, List<String> artifactIds, Long latencyMillis) {
    public SourceJob {
        artifactIds = artifactIds == null ? List.of() : List.copyOf(artifactIds);
    }
}
