package io.spindle.bridge.protocol;

import java.io.IOException;

/**
 * A frame that breaks the protocol. Only {@link Kind#TRUNCATED} ends the stream; after any other kind the
 * frame boundary is intact, the offending frame has been consumed and the next frame can be read.
 */
public final class ProtocolException extends IOException {

    /** What was wrong with the frame. */
    public enum Kind {
        /** The length prefix exceeds the configured maximum; the payload was skipped unread. */
        FRAME_TOO_LARGE,
        /** The stream ended inside a frame. */
        TRUNCATED,
        /** The payload is not JSON (or not UTF-8). */
        MALFORMED_JSON,
        /** The payload is JSON but its {@code op} is not one this side understands. */
        UNKNOWN_OP,
        /** The op is known but the payload is not an object, lacks {@code op} or has missing or mistyped fields. */
        INVALID_MESSAGE
    }

    private final Kind kind;
    private final String op;
    private final String jobId;

    public ProtocolException(Kind kind, String message, String op, String jobId, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
        this.op = op;
        this.jobId = jobId;
    }

    public ProtocolException(Kind kind, String message) {
        this(kind, message, null, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The frame's op when it could be read, else null. */
    public String op() {
        return op;
    }

    /** The frame's job_id when it could be read, else null: lets the host fail that job rather than guess. */
    public String jobId() {
        return jobId;
    }

    /** True when the stream cannot be read any further. */
    public boolean isFatal() {
        return kind == Kind.TRUNCATED;
    }
}
