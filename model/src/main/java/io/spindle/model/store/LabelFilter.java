package io.spindle.model.store;

import io.spindle.model.job.Job;
import java.util.List;
import java.util.Map;

/**
 * Matches jobs whose label {@code key} is exactly {@code value}. A store that cannot query a map by a key holding
 * '.' (MongoDB reads it as a path) matches the job's {@link #terms} instead: one string per label, with a
 * separator no label key may contain.
 */
public record LabelFilter(String key, String value) {
    /** Between key and value in a term; never part of a key (JobSpecValidator allows letters, digits, _ . - /). */
    public static final char SEPARATOR = ':';

    public boolean matches(Job job) {
        return value.equals(job.labels().get(key));
    }

    /** This filter's term, as {@link #terms} writes it. */
    public String term() {
        return key + SEPARATOR + value;
    }

    /** Every label of {@code labels} as a term. */
    public static List<String> terms(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> new LabelFilter(e.getKey(), e.getValue()).term()).sorted().toList();
    }
}
