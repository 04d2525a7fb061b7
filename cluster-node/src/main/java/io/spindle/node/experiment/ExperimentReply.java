package io.spindle.node.experiment;

import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.experiment.Experiment;

/** What an ExperimentEntity answers: the experiment as it now is, or a typed refusal (nothing changed). */
public sealed interface ExperimentReply {

    record Accepted(Experiment experiment) implements ExperimentReply {}

    record Rejected(SpindleError error) implements ExperimentReply {}

    default Experiment orThrow() {
        if (this instanceof Accepted a) {
            return a.experiment();
        }
        throw new SpindleException(((Rejected) this).error());
    }
}
