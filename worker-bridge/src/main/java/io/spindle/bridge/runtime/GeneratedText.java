package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The result of every {@code text.generate} / {@code text.chat} run: the text as a {@code text/plain} artifact
 * ({@value #FILE_NAME}) and in the outputs, with {@code finish_reason} ({@value #STOP}: the model ended or a stop
 * string matched; {@value #LENGTH}: {@code max_tokens} ran out) and the token counts.
 */
public final class GeneratedText {
    public static final String FILE_NAME = "completion.txt";
    public static final String KIND = "text";
    public static final String MIME = "text/plain";
    public static final String STOP = "stop";
    public static final String LENGTH = "length";

    private GeneratedText() {}

    public static ObjectNode deliver(String text, String finishReason, int promptTokens, int completionTokens, JobRun job,
            WorkerContext ctx) throws WorkerFailure {
        Path file = job.scratchDir().resolve(FILE_NAME);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
        ctx.artifact(FILE_NAME, KIND, MIME);
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("text", text);
        outputs.put("finish_reason", finishReason);
        outputs.put("prompt_tokens", promptTokens);
        outputs.put("completion_tokens", completionTokens);
        outputs.put("artifact", FILE_NAME);
        return outputs;
    }
}
