package io.spindle.cli.bench;

/** How often one error code occurred in a bench run, with one of its messages as an example. */
public record FailureTally(int count, String example) {
    public FailureTally plus(FailureTally other) {
        return new FailureTally(count + other.count, example != null ? example : other.example);
    }
}
