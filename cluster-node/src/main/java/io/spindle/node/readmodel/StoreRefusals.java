package io.spindle.node.readmodel;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Tells a write the store refused for good (retrying the same view can never succeed) from one that may
 * succeed later: only an unreachable or slow store ({@code unavailable}, {@code timeout}) is worth waiting for.
 */
final class StoreRefusals {
    private StoreRefusals() {}

    static boolean isRefusal(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SpindleException e) {
            return e.error().code() != ErrorCode.UNAVAILABLE && e.error().code() != ErrorCode.TIMEOUT;
        }
        return !(t instanceof java.util.concurrent.TimeoutException || t instanceof java.io.IOException);
    }

    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
