package io.spindle.model.stats;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles by linear interpolation between closest ranks (Hyndman and Fan's type 7, R's and NumPy's default). */
public final class Percentiles {
    private Percentiles() {}

    /** The {@code q}-quantile (0 ≤ q ≤ 1) of {@code values}; NaN when there are none. */
    public static double of(Collection<? extends Number> values, double q) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray(), q);
    }

    public static double of(double[] values, double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile " + q + " is not within [0, 1]");
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
