package io.spindle.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    private static List<Duration> millis(int... values) {
        return IntStream.of(values).mapToObj(Duration::ofMillis).toList();
    }

    @Test
    void nearestRankOnOneToAHundred() {
        List<Duration> samples = new ArrayList<>(IntStream.rangeClosed(1, 100).mapToObj(Duration::ofMillis).toList());
        Collections.shuffle(samples, new Random(1));
        LatencyStats s = LatencyStats.of(samples);
        assertEquals(100, s.count());
        assertEquals(50.0, s.p50Ms());
        assertEquals(95.0, s.p95Ms());
        assertEquals(99.0, s.p99Ms());
        assertEquals(100.0, s.maxMs());
    }

    @Test
    void percentilesAreAlwaysSamples() {
        LatencyStats s = LatencyStats.of(millis(10, 20, 30, 40));
        assertEquals(20.0, s.p50Ms(), "rank ceil(0.5 * 4) = 2");
        assertEquals(40.0, s.p95Ms(), "rank ceil(0.95 * 4) = 4");
        assertEquals(40.0, s.p99Ms());
    }

    @Test
    void theTailOfAThousandSamples() {
        List<Duration> samples = new ArrayList<>();
        for (int i = 0; i < 990; i++) {
            samples.add(Duration.ofMillis(5));
        }
        for (int i = 0; i < 10; i++) {
            samples.add(Duration.ofMillis(500 + i));
        }
        LatencyStats s = LatencyStats.of(samples);
        assertEquals(5.0, s.p50Ms());
        assertEquals(5.0, s.p95Ms());
        assertEquals(5.0, s.p99Ms(), "rank 990 is the last fast sample");
        assertEquals(509.0, s.maxMs());
        assertEquals(500L, LatencyStats.percentile(samples.stream().mapToLong(Duration::toMillis).sorted().toArray(), 99.1));
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LatencyStats s = LatencyStats.of(millis(7));
        assertEquals(new LatencyStats(1, 7.0, 7.0, 7.0, 7.0), s);
    }

    @Test
    void subMillisecondPrecisionIsKept() {
        assertEquals(1.5, LatencyStats.of(List.of(Duration.ofNanos(1_500_000))).p50Ms());
    }

    @Test
    void noSamplesHaveNoFigures() {
        LatencyStats s = LatencyStats.of(List.of());
        assertEquals(0, s.count());
        assertNull(s.p50Ms());
        assertNull(s.maxMs());
    }

    @Test
    void refusesPercentilesOutsideTheRange() {
        long[] one = {1};
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(one, 0));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(one, 101));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new long[0], 50));
    }
}
