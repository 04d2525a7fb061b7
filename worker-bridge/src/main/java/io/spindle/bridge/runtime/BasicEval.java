package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.List;
import java.util.Optional;

/**
 * Scorers that need no engine, over values an experiment copies from two jobs' outputs:
 * <ul>
 *   <li>{@code eval.duration_deviation}: input {@code {"value": ms, "reference": ms}} (e.g. two TTS outputs'
 *       {@code duration_ms}); metric {@code duration_deviation} = |ln(value / reference)|, 0 for the same length,
 *       lower is better (symmetric: twice as long and half as long deviate alike);</li>
 *   <li>{@code eval.exact_match}: input {@code {"value": any, "reference": any}}; metric {@code exact_match} = 1 when
 *       the two JSON values are equal, else 0 (higher is better).</li>
 * </ul>
 * Each writes the one score schema of every eval job ({@link ScoreArtifact}).
 */
public final class BasicEval implements RuntimeShim {
    public static final String BACKEND = "eval-basic";
    public static final String DURATION_DEVIATION = "eval.duration_deviation";
    public static final String EXACT_MATCH = "eval.exact_match";
    private static final String VALUE = "value";
    private static final String REFERENCE = "reference";

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(DURATION_DEVIATION, EXACT_MATCH);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        JsonNode input = job.input();
        if (!input.has(VALUE)) {
            throw Failures.invalidInput(VALUE, "is required");
        }
        if (!input.has(REFERENCE)) {
            throw Failures.invalidInput(REFERENCE, "is required");
        }
        ObjectNode details = FrameCodec.mapper().createObjectNode();
        details.set(VALUE, input.get(VALUE));
        details.set(REFERENCE, input.get(REFERENCE));
        if (EXACT_MATCH.equals(job.type())) {
            return ScoreArtifact.deliver("exact_match", input.get(VALUE).equals(input.get(REFERENCE)) ? 1 : 0, details, job, ctx);
        }
        double value = positive(input, VALUE);
        double reference = positive(input, REFERENCE);
        details.put("ratio", value / reference);
        return ScoreArtifact.deliver("duration_deviation", Math.abs(Math.log(value / reference)), details, job, ctx);
    }

    private static double positive(JsonNode input, String field) throws WorkerFailure {
        JsonNode v = input.get(field);
        if (!v.isNumber() || v.asDouble() <= 0) {
            throw Failures.invalidInput(field, "must be a positive number (a duration), not " + v);
        }
        return v.asDouble();
    }
}
