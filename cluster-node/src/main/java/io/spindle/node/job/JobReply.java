package io.spindle.node.job;

import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;

/** What a JobEntity answers to every command: the job's current view, or a typed refusal. */
public sealed interface JobReply {

    /** The command was applied (or was already applied: commands are idempotent where they can be). */
    record Accepted(Job job) implements JobReply {}

    /** The command does not apply to the job in its current state; nothing was changed. */
    record Rejected(SpindleError error) implements JobReply {}

    /** The job of an Accepted reply; throws {@link SpindleException} carrying the error of a Rejected one. */
    default Job orThrow() {
        if (this instanceof Accepted a) {
            return a.job();
        }
        throw new SpindleException(((Rejected) this).error());
    }
}
