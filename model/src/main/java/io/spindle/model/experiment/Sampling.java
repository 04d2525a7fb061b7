package io.spindle.model.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Reproducible samples of an experiment's candidate jobs: simple (n of all, shuffled by a seed) or stratified (each
 * stratum — the jobs sharing a label's or an input field's value — gets its share of n in proportion to its size,
 * rounded by largest remainder, so a rare voice or prompt class is not left out by chance). The same jobs, n, seed
 * and strata always give the same sample, in the order the jobs were given.
 */
public final class Sampling {
    private Sampling() {}

    /** {@code n} of {@code items} drawn with {@code seed}; all of them when there are no more than n. */
    public static <T> List<T> simple(List<T> items, int n, long seed) {
        if (n >= items.size()) {
            return List.copyOf(items);
        }
        List<Integer> picked = shuffledIndexes(items.size(), seed).subList(0, n);
        return inOrder(items, picked);
    }

    /**
     * {@code n} of {@code items}, each stratum ({@code stratumOf}) represented in proportion to its size; a stratum's
     * share is drawn with a seed derived from {@code seed} and the stratum, so adding a stratum does not reshuffle
     * the others.
     */
    public static <T> List<T> stratified(List<T> items, int n, long seed, Function<T, String> stratumOf) {
        if (n >= items.size()) {
            return List.copyOf(items);
        }
        Map<String, List<Integer>> strata = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            strata.computeIfAbsent(stratumOf.apply(items.get(i)), k -> new ArrayList<>()).add(i);
        }
        Map<String, Integer> shares = shares(strata, n, items.size());
        List<Integer> picked = new ArrayList<>(n);
        strata.forEach((stratum, members) -> {
            List<Integer> order = shuffledIndexes(members.size(), seed ^ stratum.hashCode());
            for (int k = 0; k < shares.get(stratum); k++) {
                picked.add(members.get(order.get(k)));
            }
        });
        return inOrder(items, picked);
    }

    /** Each stratum's share of n: its proportional quota floored, the rest to the largest remainders (ties by name). */
    private static Map<String, Integer> shares(Map<String, List<Integer>> strata, int n, int total) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        Map<String, Double> remainders = new LinkedHashMap<>();
        int given = 0;
        for (Map.Entry<String, List<Integer>> stratum : strata.entrySet()) {
            double quota = (double) n * stratum.getValue().size() / total;
            int floor = (int) Math.floor(quota);
            shares.put(stratum.getKey(), floor);
            remainders.put(stratum.getKey(), quota - floor);
            given += floor;
        }
        List<String> byRemainder = new ArrayList<>(remainders.keySet());
        byRemainder.sort(Comparator.<String>comparingDouble(remainders::get).reversed().thenComparing(Comparator.naturalOrder()));
        for (int i = 0; given < n; i++) {
            String stratum = byRemainder.get(i % byRemainder.size());
            if (shares.get(stratum) < strata.get(stratum).size()) {
                shares.merge(stratum, 1, Integer::sum);
                given++;
            }
        }
        return shares;
    }

    private static List<Integer> shuffledIndexes(int size, long seed) {
        List<Integer> indexes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            indexes.add(i);
        }
        Collections.shuffle(indexes, new Random(seed));
        return indexes;
    }

    private static <T> List<T> inOrder(List<T> items, List<Integer> picked) {
        List<Integer> sorted = new ArrayList<>(picked);
        Collections.sort(sorted);
        return sorted.stream().map(items::get).toList();
    }
}
