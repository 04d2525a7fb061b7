package io.spindle.node.queue;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a value until it satisfies a condition, instead of sleeping a fixed time. */
final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(25);

    private Poll() {}

    /** The first value of {@code probe} accepted by {@code done}; fails after {@code timeout}. Probe failures count as not yet. */
    static <T> T until(Supplier<T> probe, Predicate<T> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }
}
