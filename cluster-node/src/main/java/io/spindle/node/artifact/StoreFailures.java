package io.spindle.node.artifact;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** The typed failures every {@link ArtifactStore} completes with. */
final class StoreFailures {
    private StoreFailures() {}

    static SpindleException notFound(String key) {
        return new SpindleException(SpindleError.of(ErrorCode.ARTIFACT_NOT_FOUND, "no stored object at '" + key + "'",
                Map.of("key", key)));
    }

    static SpindleException rangeNotSatisfiable(String key, long size) {
        return new SpindleException(SpindleError.of(ErrorCode.RANGE_NOT_SATISFIABLE,
                "the requested range is outside the object '" + key + "' of " + size + " bytes",
                Map.of("key", key, "size", size)));
    }

    /** Keeps a failure that is already typed; anything else means the backend let us down. */
    static SpindleException typed(Throwable failure, String operation, String key) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SpindleException typed) {
            return typed;
        }
        return new SpindleException(SpindleError.of(ErrorCode.UNAVAILABLE,
                "artifact store " + operation + " of '" + key + "' failed: " + cause,
                Map.of("key", key, "operation", operation)));
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
