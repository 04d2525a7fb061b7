package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(2), 3.0, Duration.ofSeconds(60), 0.25);

    @Test
    void delaysGrowByTheFactorUntilTheCapWithoutJitterAtTheMiddleOfTheBand() {
        assertEquals(Duration.ofSeconds(2), backoff.delayAfter(1, 0.5));
        assertEquals(Duration.ofSeconds(6), backoff.delayAfter(2, 0.5));
        assertEquals(Duration.ofSeconds(18), backoff.delayAfter(3, 0.5));
        assertEquals(Duration.ofSeconds(54), backoff.delayAfter(4, 0.5));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(5, 0.5));
        assertEquals(Duration.ofSeconds(60), backoff.delayAfter(100, 0.5), "no overflow for large attempts");
    }

    @Test
    void jitterSpreadsDelaysWithinTheBandAndNeverBeyondTheCap() {
        assertEquals(Duration.ofMillis(4500), backoff.delayAfter(2, 0.0));
        assertEquals(Duration.ofMillis(7500), backoff.delayAfter(2, 1.0));
        Random random = new Random(7);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration d = backoff.delayAfter(2, random.nextDouble());
            assertTrue(d.compareTo(Duration.ofMillis(4500)) >= 0 && d.compareTo(Duration.ofMillis(7500)) <= 0, d.toString());
            seen.add(d);
            Duration capped = backoff.delayAfter(6, random.nextDouble());
            assertTrue(capped.compareTo(Duration.ofSeconds(45)) >= 0 && capped.compareTo(Duration.ofSeconds(60)) <= 0, capped.toString());
        }
        assertTrue(seen.size() > 100, "jitter actually spreads the delays");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ofSeconds(10), 2.0, Duration.ofSeconds(5), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(5), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5), 1.5));
    }
}
