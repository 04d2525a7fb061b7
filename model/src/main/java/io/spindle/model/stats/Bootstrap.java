package io.spindle.model.stats;

import java.util.SplittableRandom;

/**
 * The percentile bootstrap of a mean (Efron 1979): resample the values with replacement {@code resamples} times,
 * take each resample's mean, and read the interval off those means' percentiles. Seeded, so a report recomputed from
 * the same scores gives the same interval. Applied to paired differences it is the interval of a paired mean delta.
 */
public final class Bootstrap {
    /** Enough resamples that the 2.5 % and 97.5 % percentiles move by well under a percent between seeds. */
    public static final int DEFAULT_RESAMPLES = 2000;
    public static final double CONFIDENCE_95 = 0.95;

    private Bootstrap() {}

    /** The interval of the mean of {@code values} (at least one) at {@code confidence}; one value gives a point. */
    public static Interval meanInterval(double[] values, double confidence, int resamples, long seed) {
        if (confidence <= 0 || confidence >= 1 || resamples < 1 || values.length == 0) {
            throw new IllegalArgumentException("confidence " + confidence + ", resamples " + resamples + ", " + values.length + " values");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int n = values.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        double tail = (1 - confidence) / 2;
        return new Interval(Percentiles.of(means, tail), Percentiles.of(means, 1 - tail));
    }

    public static Interval meanInterval95(double[] values, long seed) {
        return meanInterval(values, CONFIDENCE_95, DEFAULT_RESAMPLES, seed);
    }

    public static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
