package io.spindle.bridge.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.BridgeMessage;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One attempt of a job as a worker sees it: what to run, against which config, where to write, and until when.
 * {@code runtimeBackend} and {@code modelRef} are the config's (null when it names none).
 */
public record JobRun(
        String jobId,
        String type,
        JsonNode input,
        String configId,
        int configVersion,
        ObjectNode params,
        int attempt,
        Path scratchDir,
        Instant deadline,
        String runtimeBackend,
        String modelRef) {

    public static JobRun of(BridgeMessage.Run run) {
        return new JobRun(run.jobId(), run.type(), run.input(), run.config().id(), run.config().version(),
                run.config().params(), run.attempt(), Path.of(run.scratchDir()).toAbsolutePath().normalize(),
                Instant.ofEpochMilli(run.deadline()), run.config().runtimeBackend(), run.config().modelRef());
    }
}
