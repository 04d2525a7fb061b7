package io.spindle.model.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void interpolatesBetweenClosestRanksLikeNumpy() {
        List<Integer> values = List.of(15, 20, 35, 40, 50);
        // numpy.percentile([15, 20, 35, 40, 50], [50, 95, 40]) == [35., 48., 29.]
        assertEquals(35.0, Percentiles.of(values, 0.50), 1e-9);
        assertEquals(48.0, Percentiles.of(values, 0.95), 1e-9);
        assertEquals(29.0, Percentiles.of(values, 0.40), 1e-9);
    }

    @Test
    void noValuesHaveNoPercentile() {
        assertTrue(Double.isNaN(Percentiles.of(List.<Integer>of(), 0.5)));
    }

    @Test
    void armLatencyCountsFailuresInTheErrorRateOnly() {
        ArmLatency a = ArmLatency.of(List.of(100L, 200L, 300L), 1);
        assertEquals(4, a.jobs());
        assertEquals(0.25, a.errorRate(), 1e-12);
        assertEquals(200.0, a.p50Millis(), 1e-9);
        assertEquals(290.0, a.p95Millis(), 1e-9);
    }
}
