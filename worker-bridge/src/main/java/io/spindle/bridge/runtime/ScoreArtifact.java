package io.spindle.bridge.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The result of every {@code eval.*} job, in one fixed schema so experiments can read any metric the same way:
 * a JSON artifact (kind {@value #KIND}, file {@value #FILE_NAME}) {@code {"metric", "value", "details"}}, and the same
 * three fields as the job's outputs, beside {@code artifact}.
 */
public final class ScoreArtifact {
    public static final String KIND = "score";
    public static final String MIME = "application/json";
    public static final String FILE_NAME = "score.json";

    private ScoreArtifact() {}

    /** Writes and declares the score; returns the outputs {@code metric, value, details, artifact}. */
    public static ObjectNode deliver(String metric, double value, ObjectNode details, JobRun job, WorkerContext ctx) throws WorkerFailure {
        if (!Double.isFinite(value)) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, metric + " came out as " + value);
        }
        ObjectNode score = FrameCodec.mapper().createObjectNode();
        score.put("metric", metric);
        score.put("value", value);
        score.set("details", details);
        Path file = job.scratchDir().resolve(FILE_NAME);
        try {
            Files.write(file, FrameCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(score));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a score is plain JSON", e);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
        ctx.artifact(FILE_NAME, KIND, MIME);
        ObjectNode outputs = score.deepCopy();
        outputs.put("artifact", FILE_NAME);
        return outputs;
    }
}
