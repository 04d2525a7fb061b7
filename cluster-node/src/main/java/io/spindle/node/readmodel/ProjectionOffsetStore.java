package io.spindle.node.readmodel;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a projection keeps the journal offset it has folded up to, so a restart resumes there. Failures
 * complete the stage with a {@link io.spindle.model.error.SpindleException} carrying a typed error.
 */
public interface ProjectionOffsetStore {

    /** The offset a projection stored last, if any. */
    CompletionStage<Optional<Long>> offset(String projection);

    /** Stores a projection's offset, replacing the one it stored before. */
    CompletionStage<Void> saveOffset(String projection, long offset);
}
