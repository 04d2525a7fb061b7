package io.spindle.model.stats;

/**
 * The Wilson score interval for a proportion (Wilson 1927): unlike the normal approximation it stays inside
 * [0, 1] and keeps its coverage for small n and proportions near 0 or 1, which is where gates decide.
 */
public final class WilsonInterval {
    /** The two-sided 95 % normal quantile. */
    public static final double Z_95 = 1.959963984540054;

    private WilsonInterval() {}

    /**
     * The interval of {@code successes} out of {@code n} (successes may be fractional: a tie counts half).
     * With n = 0 nothing is known: [0, 1].
     */
    public static Interval of(double successes, int n, double z) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException(successes + " successes out of " + n);
        }
        if (n == 0) {
            return new Interval(0, 1);
        }
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    public static Interval of95(double successes, int n) {
        return of(successes, n, Z_95);
    }
}
