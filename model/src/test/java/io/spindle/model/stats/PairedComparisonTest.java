package io.spindle.model.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    @Test
    void countsWinsFromTheCandidatesSideOfTheMetricsDirection() {
        List<PairedComparison.Pair> pairs = List.of(
                new PairedComparison.Pair(0.10, 0.05), // lower WER: a win
                new PairedComparison.Pair(0.10, 0.10), // tie
                new PairedComparison.Pair(0.10, 0.20), // a loss
                new PairedComparison.Pair(0.30, 0.00)); // a win
        PairedComparison c = PairedComparison.of(pairs, Direction.LOWER_IS_BETTER, 1e-9, 1);
        assertEquals(List.of(4, 2, 1, 1), List.of(c.n(), c.wins(), c.ties(), c.losses()));
        assertEquals(-0.0625, c.meanDelta(), 1e-12);
        assertEquals(2.5 / 4, c.winRate(), 1e-12);
        assertEquals(WilsonInterval.of95(2.5, 4), c.winRateInterval());
        assertTrue(c.meanDeltaInterval().contains(c.meanDelta()));
    }

    @Test
    void noPairsGiveNoFigures() {
        PairedComparison c = PairedComparison.of(List.of(), Direction.HIGHER_IS_BETTER, 0, 1);
        assertEquals(0, c.n());
        assertNull(c.meanDelta());
        assertNull(c.meanDeltaInterval());
        assertEquals(new Interval(0, 1), c.winRateInterval());
    }
}
