package io.spindle.model.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** How one replay ended (or, for the original arm, how the source job ran): its job, outputs and run time. */
public record ArmRun(String arm, String sourceJob, int repetition, String jobId, boolean succeeded, Long latencyMillis,
                     ObjectNode outputs, List<String> artifactIds, String error) {
    public ArmRun {
        artifactIds = artifactIds == null ? List.of() : List.copyOf(artifactIds);
    }

    public WorkKey key() {
        return WorkKey.replay(arm, sourceJob, repetition);
    }
}
