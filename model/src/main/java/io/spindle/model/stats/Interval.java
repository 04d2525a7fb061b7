package io.spindle.model.stats;

/** A two-sided interval {@code [lower, upper]} at some confidence level (0.95 throughout Spindle's reports). */
public record Interval(double lower, double upper) {
    public Interval {
        if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
            throw new IllegalArgumentException("not an interval: [" + lower + ", " + upper + "]");
        }
    }

    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }
}
