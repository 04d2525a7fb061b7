package io.spindle.gateway.jobs;

import java.time.Duration;

/**
 * How many submits a node takes at once, found by AIMD (additive increase, multiplicative decrease, as TCP finds a
 * window): a submit answered within the latency target while the limit is in use raises the limit by one; one
 * answered later lowers it to {@value #DECREASE} of itself, at most once per target interval (a burst of slow
 * answers is one signal, not hundreds). The limit stays within [floor, ceiling]. So the
 * node admits about as many submits as it answers within the target, and a slow store shows as 429s, not as
 * asks that time out. Thread-safe.
 */
final class SubmitLimit {
    static final double DECREASE = 0.75;

    private final int floor;
    private final int ceiling;
    private final long targetNanos;
    private double limit;
    private int inFlight;
    private long lastDecrease;

    SubmitLimit(int floor, int initial, int ceiling, Duration target) {
        this.floor = Math.max(1, Math.min(floor, ceiling));
        this.ceiling = ceiling;
        this.targetNanos = target.toNanos();
        this.limit = Math.max(this.floor, Math.min(ceiling, initial));
        this.lastDecrease = System.nanoTime() - targetNanos;
    }

    /** Takes a place when fewer than the limit are in flight. */
    synchronized boolean tryAcquire() {
        if (inFlight >= (int) limit) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** Gives a place back; {@code took} (from acquire to answer) adjusts the limit. */
    synchronized void release(long tookNanos, long nowNanos) {
        boolean inUse = inFlight * 2 >= limit;
        inFlight--;
        if (tookNanos > targetNanos) {
            if (nowNanos - lastDecrease >= targetNanos) {
                limit = Math.max(floor, limit * DECREASE);
                lastDecrease = nowNanos;
            }
        } else if (inUse) {
            limit = Math.min(ceiling, limit + 1);
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int limit() {
        return (int) limit;
    }
}
