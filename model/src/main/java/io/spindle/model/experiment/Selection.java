package io.spindle.model.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.time.Instant;
import java.util.Map;

/**
 * Which historical jobs an experiment replays; null fields do not filter. {@code alias} keeps the jobs submitted to
 * that alias; {@code status} defaults to succeeded (only those have outputs to compare). {@code sample} (n, seed)
 * draws n of the matching jobs reproducibly; with {@code stratify} ({@code label:KEY} or {@code input:FIELD}) each
 * value of that label or input field gets its share of n ({@link Sampling#stratified}).
 */
public record Selection(String type, String configId, String alias, JobStatus status, Instant since, Instant until,
                        Map<String, String> labels, Integer sample, Long seed, String stratify) {
    public static final String BY_LABEL = "label:";
    public static final String BY_INPUT = "input:";

    public Selection {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** What is wrong with {@code stratify}, or null when it is absent or well formed. */
    public String stratifyProblem() {
        if (stratify == null) {
            return null;
        }
        boolean named = (stratify.startsWith(BY_LABEL) && stratify.length() > BY_LABEL.length())
                || (stratify.startsWith(BY_INPUT) && stratify.length() > BY_INPUT.length());
        return named ? null : "must be label:KEY or input:FIELD, was '" + stratify + "'";
    }

    /** The stratum of {@code job}: its value of the label or top-level input field named by {@code stratify}, "" when it has none. */
    public String stratumOf(Job job) {
        if (stratify.startsWith(BY_LABEL)) {
            return job.labels().getOrDefault(stratify.substring(BY_LABEL.length()), "");
        }
        JsonNode value = job.input() == null ? null : job.input().get(stratify.substring(BY_INPUT.length()));
        return value == null || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }
}
