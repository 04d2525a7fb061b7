package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;

/**
 * The failure codes every shim uses, and whether another attempt may succeed. Transient: the runtime timed out,
 * was busy (HTTP 429), broke (HTTP 5xx, a crashed engine) or is missing on this node. Permanent: the job's input or
 * the config's params are wrong (an unknown field value, HTTP 4xx), so a retry would fail the same way.
 */
public final class Failures {
    public static final String INVALID_INPUT = "invalid_input";
    public static final String INVALID_PARAMS = "invalid_params";
    public static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
    public static final String UNSUPPORTED_JOB_TYPE = "unsupported_job_type";
    public static final String UNSUPPORTED_BACKEND = "unsupported_backend";
    public static final String MISSING_CREDENTIALS = "missing_credentials";
    public static final String TIMEOUT = "timeout";
    public static final String RUNTIME_CRASHED = "runtime_crashed";
    public static final String RUNTIME_MISSING = "runtime_missing";
    public static final String RUNTIME_UNREACHABLE = "runtime_unreachable";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String UPSTREAM_ERROR = "upstream_error";
    public static final String UPSTREAM_REJECTED = "upstream_rejected";
    public static final String IO_ERROR = "io_error";

    private static final int TOO_MANY_REQUESTS = 429;
    private static final int REQUEST_TIMEOUT = 408;
    private static final int FIRST_CLIENT_ERROR = 400;
    private static final int FIRST_SERVER_ERROR = 500;

    private Failures() {}

    /** A permanent failure naming the input field that is wrong, e.g. {@code input.text: required}. */
    public static WorkerFailure invalidInput(String field, String problem) {
        return WorkerFailure.permanent(INVALID_INPUT, "input." + field + ": " + problem);
    }

    /** A permanent failure naming the config param that is wrong. */
    public static WorkerFailure invalidParams(String field, String problem) {
        return WorkerFailure.permanent(INVALID_PARAMS, "params." + field + ": " + problem);
    }

    /** A permanent failure for a value the runtime does not support (an unknown voice, format…). */
    public static WorkerFailure unsupported(String field, String problem) {
        return WorkerFailure.permanent(UNSUPPORTED_PARAMETER, field + ": " + problem);
    }

    public static WorkerFailure timeout(String what) {
        return WorkerFailure.transientFailure(TIMEOUT, what);
    }

    /**
     * The failure for an HTTP answer that is not a success: 408, 429 and 5xx are transient (the server may recover),
     * every other status permanent (the request itself is wrong). {@code detail} is the start of the body.
     */
    public static WorkerFailure forHttpStatus(int status, String url, String detail) {
        String message = "HTTP " + status + " from " + url + (detail.isBlank() ? "" : ": " + detail);
        if (status == TOO_MANY_REQUESTS) {
            return WorkerFailure.transientFailure(RATE_LIMITED, message);
        }
        if (status == REQUEST_TIMEOUT) {
            return WorkerFailure.transientFailure(TIMEOUT, message);
        }
        if (status >= FIRST_SERVER_ERROR) {
            return WorkerFailure.transientFailure(UPSTREAM_ERROR, message);
        }
        if (status >= FIRST_CLIENT_ERROR) {
            return WorkerFailure.permanent(UPSTREAM_REJECTED, message);
        }
        return WorkerFailure.permanent(UPSTREAM_REJECTED, "unexpected " + message);
    }
}
