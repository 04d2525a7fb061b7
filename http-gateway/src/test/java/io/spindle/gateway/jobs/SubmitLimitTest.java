package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The AIMD limit: up by one per fast answer while in use, down by a quarter per slow target interval. */
class SubmitLimitTest {
    private static final Duration TARGET = Duration.ofSeconds(1);
    private static final long FAST = TARGET.toNanos() / 10;
    private static final long SLOW = TARGET.toNanos() * 3;
    /** A moment after the limits below are made (a release carries System.nanoTime() of its answer). */
    private final long start = System.nanoTime() + TARGET.toNanos();

    @Test
    void startsWhereToldAndRefusesBeyondIt() {
        assertEquals(4, new SubmitLimit(4, 1, 100, TARGET).limit(), "clamped to the floor");
        assertEquals(64, new SubmitLimit(4, 64, 100, TARGET).limit());
        SubmitLimit limit = new SubmitLimit(2, 2, 100, TARGET);

        assertTrue(limit.tryAcquire());
        assertTrue(limit.tryAcquire());
        assertFalse(limit.tryAcquire());
        assertEquals(2, limit.inFlight());
    }

    @Test
    void fastAnswersWhileTheLimitIsInUseRaiseItUpToTheCeiling() {
        SubmitLimit limit = new SubmitLimit(2, 2, 4, TARGET);
        for (int i = 0; i < 10; i++) {
            while (limit.tryAcquire()) {
                // fill it
            }
            limit.release(FAST, start);
        }

        assertEquals(4, limit.limit());
    }

    @Test
    void fastAnswersOfAnIdleNodeDoNotRaiseIt() {
        SubmitLimit limit = new SubmitLimit(8, 8, 100, TARGET);
        for (int i = 0; i < 50; i++) {
            limit.tryAcquire();
            limit.release(FAST, start);
        }

        assertEquals(8, limit.limit(), "one at a time uses an eighth of the limit: no evidence it could take more");
    }

    @Test
    void slowAnswersLowerItOncePerTargetIntervalNotBelowTheFloor() {
        SubmitLimit limit = new SubmitLimit(4, 4, 100, TARGET);
        for (int i = 0; i < 96; i++) {
            while (limit.tryAcquire()) {
                // fill it
            }
            limit.release(FAST, start);
        }
        assertEquals(100, limit.limit());

        limit.release(SLOW, start);
        limit.release(SLOW, start + FAST);
        assertEquals(75, limit.limit(), "two slow answers within one target interval are one signal");
        limit.release(SLOW, start + TARGET.toNanos());
        assertEquals(56, limit.limit());
        for (int i = 2; i < 40; i++) {
            limit.release(SLOW, start + i * TARGET.toNanos());
        }
        assertEquals(4, limit.limit());
    }
}
