package io.spindle.model.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {
    private static final double PUBLISHED_PRECISION = 5e-5;

    @Test
    void eightOfTenMatchesThePublishedInterval() {
        Interval i = WilsonInterval.of95(8, 10);
        assertEquals(0.4902, i.lower(), PUBLISHED_PRECISION);
        assertEquals(0.9433, i.upper(), PUBLISHED_PRECISION);
    }

    @Test
    void newcombesExamplesMatchHisTable() {
        // Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (score without continuity correction).
        Interval a = WilsonInterval.of95(81, 263);
        assertEquals(0.2553, a.lower(), PUBLISHED_PRECISION);
        assertEquals(0.3662, a.upper(), PUBLISHED_PRECISION);
        Interval b = WilsonInterval.of95(15, 148);
        assertEquals(0.0624, b.lower(), PUBLISHED_PRECISION);
        assertEquals(0.1605, b.upper(), PUBLISHED_PRECISION);
        Interval none = WilsonInterval.of95(0, 20);
        assertEquals(0.0, none.lower(), PUBLISHED_PRECISION);
        assertEquals(0.1611, none.upper(), PUBLISHED_PRECISION);
    }

    @Test
    void noTrialsKnowNothing() {
        assertEquals(new Interval(0, 1), WilsonInterval.of95(0, 0));
    }
}
