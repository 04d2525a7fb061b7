package io.spindle.model.stats;

import java.util.List;

/**
 * One metric compared between a baseline and a candidate over paired items (the same source input scored under
 * both): the mean delta (candidate − baseline) with its bootstrap interval, and win/tie/loss from the candidate's
 * side with the Wilson interval of its win rate, a tie counting half a win.
 *
 * @param n pairs behind every figure here; the means, the delta's interval and the win rate are null when it is 0
 * @param winRate (wins + ties / 2) / n
 */
public record PairedComparison(int n, Double baselineMean, Double candidateMean, Double meanDelta, Interval meanDeltaInterval,
                               int wins, int ties, int losses, Double winRate, Interval winRateInterval) {

    /** One pair of scores for the same item. */
    public record Pair(double baseline, double candidate) {
        public double delta() {
            return candidate - baseline;
        }
    }

    /**
     * Compares {@code pairs}; a pair whose scores differ by at most {@code tieTolerance} is a tie.
     *
     * @param seed the bootstrap's seed, so the same pairs always give the same interval
     */
    public static PairedComparison of(List<Pair> pairs, Direction direction, double tieTolerance, long seed) {
        int n = pairs.size();
        double[] deltas = new double[n];
        double[] baseline = new double[n];
        double[] candidate = new double[n];
        int wins = 0;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            Pair p = pairs.get(i);
            deltas[i] = p.delta();
            baseline[i] = p.baseline();
            candidate[i] = p.candidate();
            if (Math.abs(p.delta()) <= tieTolerance) {
                ties++;
            } else if (p.delta() * direction.sign() > 0) {
                wins++;
            }
        }
        int losses = n - wins - ties;
        double winScore = wins + ties / 2.0;
        if (n == 0) {
            return new PairedComparison(0, null, null, null, null, 0, 0, 0, null, WilsonInterval.of95(0, 0));
        }
        return new PairedComparison(n, Bootstrap.mean(baseline), Bootstrap.mean(candidate), Bootstrap.mean(deltas),
                Bootstrap.meanInterval95(deltas, seed), wins, ties, losses, winScore / n, WilsonInterval.of95(winScore, n));
    }
}
