package io.spindle.model.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where a job is in its lifecycle: queued → leased → running → succeeded | failed | canceled | dead_lettered. */
public enum JobStatus {
    QUEUED,
    LEASED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    DEAD_LETTERED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == DEAD_LETTERED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<JobStatus> fromWireName(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }

    // DELEGATING: with the ParameterNamesModule (Pekko's Jackson serializer) a one-argument creator is otherwise ambiguous.
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static JobStatus parse(String value) {
        return fromWireName(value).orElseThrow(() -> new IllegalArgumentException(
                "'" + value + "' is not a job status; one of " + Arrays.stream(values()).map(JobStatus::wireName).toList()));
    }
}
