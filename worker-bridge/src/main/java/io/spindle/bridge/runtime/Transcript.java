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

/** The result of every {@code audio.transcribe} shim: the text as a {@code text/plain} artifact and {@code text} in the outputs. */
public final class Transcript {
    public static final String JOB_TYPE = "audio.transcribe";
    public static final String FILE_NAME = "transcript.txt";
    public static final String KIND = "text";
    public static final String MIME = "text/plain";

    private Transcript() {}

    /** Writes and declares {@code text}; returns the outputs {@code text, artifact, mime, bytes}. */
    public static ObjectNode deliver(String text, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Path file = job.scratchDir().resolve(FILE_NAME);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
        ctx.artifact(FILE_NAME, KIND, MIME);
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("text", text);
        outputs.put("artifact", FILE_NAME);
        outputs.put("mime", MIME);
        outputs.put("bytes", bytes.length);
        return outputs;
    }
}
