package io.spindle.model.error;

/** Carries a {@link SpindleError} through futures and call stacks; the gateway turns it into its HTTP status. */
public final class SpindleException extends RuntimeException {
    private final SpindleError error;

    public SpindleException(SpindleError error) {
        super(error.code().wireName() + ": " + error.message());
        this.error = error;
    }

    public SpindleException(ErrorCode code, String message) {
        this(SpindleError.of(code, message));
    }

    public SpindleError error() {
        return error;
    }
}
