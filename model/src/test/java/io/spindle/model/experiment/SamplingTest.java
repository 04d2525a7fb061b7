package io.spindle.model.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SamplingTest {
    /** 100 jobs: 80 of voice "a", 15 of "b", 5 of "c", in a mixed order. */
    private static final List<String> JOBS = jobs();
    private static final Function<String, String> VOICE = job -> job.substring(0, 1);

    @Test
    void aStratifiedSampleGivesEachStratumItsShareByLargestRemainder() {
        List<String> sample = Sampling.stratified(JOBS, 10, 7, VOICE);

        // Quotas 8.0, 1.5, 0.5: floors 8, 1, 0; the two remainders of .5 tie, broken by name: "b" gets the tenth.
        assertEquals(Map.of("a", 8L, "b", 2L), counts(sample));
        assertEquals(Map.of("a", 16L, "b", 3L, "c", 1L), counts(Sampling.stratified(JOBS, 20, 7, VOICE)));
    }

    @Test
    void aRareStratumIsNeverLeftOutWhenItsQuotaRoundsUp() {
        for (long seed = 0; seed < 50; seed++) {
            assertEquals(1L, counts(Sampling.stratified(JOBS, 20, seed, VOICE)).get("c"), "seed " + seed);
        }
    }

    @Test
    void samplesAreReproducibleInTheGivenOrderAndDependOnTheSeed() {
        List<String> once = Sampling.stratified(JOBS, 20, 42, VOICE);
        assertEquals(once, Sampling.stratified(JOBS, 20, 42, VOICE));
        assertNotEquals(once, Sampling.stratified(JOBS, 20, 43, VOICE));
        assertEquals(once.stream().sorted((x, y) -> Integer.compare(JOBS.indexOf(x), JOBS.indexOf(y))).toList(), once);

        List<String> simple = Sampling.simple(JOBS, 20, 42);
        assertEquals(20, simple.size());
        assertEquals(simple, Sampling.simple(JOBS, 20, 42));
        assertTrue(JOBS.containsAll(simple));
    }

    @Test
    void askingForAtLeastAllGivesAll() {
        assertEquals(JOBS, Sampling.stratified(JOBS, 100, 1, VOICE));
        assertEquals(JOBS, Sampling.simple(JOBS, 500, 1));
    }

    private static Map<String, Long> counts(List<String> sample) {
        return sample.stream().collect(Collectors.groupingBy(VOICE, Collectors.counting()));
    }

    private static List<String> jobs() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String voice = i % 20 == 3 ? "c" : i % 20 == 7 || i % 20 == 11 || i % 20 == 15 ? "b" : "a";
            jobs.add(voice + i);
        }
        return jobs;
    }
}
