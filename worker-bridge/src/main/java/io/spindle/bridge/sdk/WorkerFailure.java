package io.spindle.bridge.sdk;

import io.spindle.bridge.protocol.WorkerMessage;

/**
 * Thrown by {@link WorkerBase#execute} to fail a job on purpose: a machine-readable code, a message for
 * people, and whether another attempt may succeed.
 */
public class WorkerFailure extends Exception {
    private final String code;
    private final boolean isTransient;

    public WorkerFailure(String code, String message, boolean isTransient) {
        super(message);
        this.code = code;
        this.isTransient = isTransient;
    }

    public static WorkerFailure transientFailure(String code, String message) {
        return new WorkerFailure(code, message, true);
    }

    public static WorkerFailure permanent(String code, String message) {
        return new WorkerFailure(code, message, false);
    }

    /** The failure a job ends with when the bridge cancels it. */
    public static WorkerFailure canceled() {
        return new WorkerFailure(WorkerMessage.Error.CANCELED, "job canceled", false);
    }

    public String code() {
        return code;
    }

    public boolean isTransient() {
        return isTransient;
    }
}
