package io.spindle.model.error;

import com.fasterxml.jackson.annotation.JsonValue;

/** The typed vocabulary of everything Spindle refuses or fails with; each code maps to one HTTP status. */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    VALIDATION_FAILED("validation_failed", 400),
    UNAUTHORIZED("unauthorized", 401),
    NOT_FOUND("not_found", 404),
    JOB_NOT_FOUND("job_not_found", 404),
    CONFIG_NOT_FOUND("config_not_found", 404),
    ARTIFACT_NOT_FOUND("artifact_not_found", 404),
    ALIAS_NOT_FOUND("alias_not_found", 404),
    EXPERIMENT_NOT_FOUND("experiment_not_found", 404),
    GATE_NOT_FOUND("gate_not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    ALREADY_EXISTS("already_exists", 409),
    INVALID_STATE("invalid_state", 409),
    CONFIG_INACTIVE("config_inactive", 409),
    JOB_TYPE_NOT_SERVED("job_type_not_served", 409),
    LEASE_MISMATCH("lease_mismatch", 409),
    NOT_YET_DUE("not_yet_due", 409),
    /** A promotion whose gate did not pass (and was not forced). */
    GATE_NOT_PASSED("gate_not_passed", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    RANGE_NOT_SATISFIABLE("range_not_satisfiable", 416),
    /** The node is saturated and took nothing: retry after the Retry-After delay. */
    OVERLOADED("overloaded", 429),
    UNAVAILABLE("unavailable", 503),
    TIMEOUT("timeout", 504),
    INTERNAL("internal", 500);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
