package io.spindle.model.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void ninetyFivePercentIntervalsCoverTheTrueMeanAboutNinetyFivePercentOfTheTime() {
        Random data = new Random(20261203L);
        double trueMean = 0.3;
        int trials = 400;
        int sampleSize = 60;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            double[] sample = new double[sampleSize];
            for (int i = 0; i < sampleSize; i++) {
                sample[i] = trueMean + data.nextGaussian();
            }
            if (Bootstrap.meanInterval95(sample, t).contains(trueMean)) {
                covered++;
            }
        }
        double coverage = covered / (double) trials;
        // The percentile bootstrap under-covers slightly at small n; 400 trials put ±2.2 points of noise on top.
        assertTrue(coverage >= 0.90 && coverage <= 0.98, "coverage " + coverage);
    }

    @Test
    void theSameSeedGivesTheSameInterval() {
        double[] values = {1, 2, 3, 5, 8, 13, 21};
        assertEquals(Bootstrap.meanInterval95(values, 7), Bootstrap.meanInterval95(values, 7));
    }

    @Test
    void aSkewedSampleGetsAnAsymmetricIntervalAroundItsMean() {
        double[] values = {0, 0, 0, 0, 0, 0, 0, 0, 0, 10};
        Interval i = Bootstrap.meanInterval95(values, 1);
        assertTrue(i.lower() >= 0 && i.upper() <= 10 && i.contains(1.0), i.toString());
        assertTrue(i.upper() - 1.0 > 1.0 - i.lower(), "the long tail is on the right: " + i);
    }

    @Test
    void constantDeltasGiveAPoint() {
        assertEquals(new Interval(0.25, 0.25), Bootstrap.meanInterval95(new double[] {0.25, 0.25, 0.25}, 3));
    }
}
