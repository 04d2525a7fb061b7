package io.spindle.model.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why an attempt failed: a machine-readable code, a message for people, and whether a retry may help. */
public record JobError(String code, String message, @JsonProperty("transient") boolean isTransient) {
    public static JobError transientError(String code, String message) {
        return new JobError(code, message, true);
    }

    public static JobError permanent(String code, String message) {
        return new JobError(code, message, false);
    }
}
