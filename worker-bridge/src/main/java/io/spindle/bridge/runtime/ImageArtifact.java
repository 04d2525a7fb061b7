package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The last step every image shim shares: declare the image it wrote as the job's artifact and describe it. */
final class ImageArtifact {
    private ImageArtifact() {}

    /** Declares {@code file} (in {@code format}) with kind {@value ImageFormat#ARTIFACT_KIND}; returns artifact, format, mime, bytes. */
    static ObjectNode declare(Path file, ImageFormat format, WorkerContext ctx) throws WorkerFailure {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "no image was written to " + file.getFileName() + ": " + e.getMessage());
        }
        ctx.artifact(file.getFileName().toString(), ImageFormat.ARTIFACT_KIND, format.mime());
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("artifact", file.getFileName().toString());
        outputs.put(ImageFormat.FIELD, format.extension());
        outputs.put("mime", format.mime());
        outputs.put("bytes", bytes);
        return outputs;
    }
}
