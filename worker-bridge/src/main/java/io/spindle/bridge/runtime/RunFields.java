package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reads of a run's input and its config's params, failing permanently with the field's name. A setting such
 * as {@code voice} may be given per job in the input or per config in the params; the input wins.
 */
public final class RunFields {
    private final JobRun job;

    public RunFields(JobRun job) {
        this.job = job;
    }

    /** A required non-blank string of the input, at most {@code maxChars} long. */
    public String requiredText(String field, int maxChars) throws WorkerFailure {
        JsonNode value = job.input().get(field);
        if (value == null || value.isNull()) {
            throw Failures.invalidInput(field, "required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Failures.invalidInput(field, "must be a non-empty string");
        }
        if (value.asText().length() > maxChars) {
            throw Failures.invalidInput(field, "longer than " + maxChars + " characters");
        }
        return value.asText();
    }

    /** A string setting from the input, else the params, else {@code fallback}. */
    public String string(String field, String fallback) throws WorkerFailure {
        Optional<Source> source = find(field);
        if (source.isEmpty()) {
            return fallback;
        }
        JsonNode value = source.get().value();
        if (!value.isTextual() || value.asText().isBlank()) {
            throw source.get().invalid(field, "must be a non-empty string");
        }
        return value.asText();
    }

    /**
     * A string param of the config only, else {@code fallback}: for settings a job must not choose, such as the
     * URL a shim calls or the environment variable holding its key.
     */
    public String param(String field, String fallback) throws WorkerFailure {
        JsonNode value = job.params().get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Failures.invalidParams(field, "must be a non-empty string");
        }
        return value.asText();
    }

    /** A required string param of the config. */
    public String requiredParam(String field) throws WorkerFailure {
        JsonNode value = job.params().get(field);
        if (value == null || value.isNull()) {
            throw Failures.invalidParams(field, "required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw Failures.invalidParams(field, "must be a non-empty string");
        }
        return value.asText();
    }

    /** A whole-number setting from the input, else the params, else {@code fallback}, within [min, max]. */
    public long integer(String field, long fallback, long min, long max) throws WorkerFailure {
        Optional<Source> source = find(field);
        if (source.isEmpty()) {
            return fallback;
        }
        JsonNode value = source.get().value();
        if (!value.canConvertToExactIntegral() || !value.isNumber()) {
            throw source.get().invalid(field, "must be a whole number");
        }
        long parsed = value.asLong();
        if (parsed < min || parsed > max) {
            throw source.get().invalid(field, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /** A number setting from the input, else the params, else {@code fallback}, within [min, max]. */
    public double number(String field, double fallback, double min, double max) throws WorkerFailure {
        Optional<Source> source = find(field);
        if (source.isEmpty()) {
            return fallback;
        }
        JsonNode value = source.get().value();
        if (!value.isNumber()) {
            throw source.get().invalid(field, "must be a number");
        }
        double parsed = value.asDouble();
        if (parsed < min || parsed > max) {
            throw source.get().invalid(field, "must be between " + min + " and " + max + ", was " + parsed);
        }
        return parsed;
    }

    /**
     * A required artifact of an earlier job named by the input ({@code {"artifact_id": "art_…"}}), as the local file
     * the node fetched into the scratch dir before the run ({@link InputArtifact}).
     */
    public InputArtifact inputFile(String field) throws WorkerFailure {
        JsonNode value = job.input().get(field);
        if (value == null || value.isNull()) {
            throw Failures.invalidInput(field, "required: an artifact reference {\"artifact_id\": \"art_…\"}");
        }
        return InputArtifact.of(field, value);
    }

    /** A required non-empty list of artifact references, at most {@code max} long, each fetched as for {@link #inputFile}. */
    public List<InputArtifact> inputFiles(String field, int max) throws WorkerFailure {
        JsonNode value = job.input().get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw Failures.invalidInput(field, "required: a non-empty list of artifact references");
        }
        if (value.size() > max) {
            throw Failures.invalidInput(field, "at most " + max + " artifacts, was " + value.size());
        }
        List<InputArtifact> files = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            files.add(InputArtifact.of(field + "[" + i + "]", value.get(i)));
        }
        return files;
    }

    private Optional<Source> find(String field) {
        JsonNode fromInput = job.input().get(field);
        if (fromInput != null && !fromInput.isNull()) {
            return Optional.of(new Source(fromInput, true));
        }
        JsonNode fromParams = job.params().get(field);
        if (fromParams != null && !fromParams.isNull()) {
            return Optional.of(new Source(fromParams, false));
        }
        return Optional.empty();
    }

    private record Source(JsonNode value, boolean fromInput) {
        WorkerFailure invalid(String field, String problem) {
            return fromInput ? Failures.invalidInput(field, problem) : Failures.invalidParams(field, problem);
        }
    }
}
