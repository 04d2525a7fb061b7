package io.spindle.bridge.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.json.Json;
import java.util.Objects;

/** Frames the bridge sends to its worker process; the {@code op} field of the JSON names the record. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = FrameCodec.OP_FIELD)
@JsonSubTypes({
        @JsonSubTypes.Type(value = BridgeMessage.Run.class, name = "run"),
        @JsonSubTypes.Type(value = BridgeMessage.Cancel.class, name = "cancel"),
        @JsonSubTypes.Type(value = BridgeMessage.Shutdown.class, name = "shutdown")
})
public sealed interface BridgeMessage {

    /**
     * Run one attempt of a job. Outputs go to {@code scratchDir}; {@code deadline} is epoch milliseconds
     * after which the bridge gives up on the attempt.
     */
    record Run(String jobId, String type, JsonNode input, RunConfig config, int attempt, String scratchDir, long deadline)
            implements BridgeMessage {
        public Run {
            Objects.requireNonNull(jobId, "job_id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(scratchDir, "scratch_dir");
            input = input == null ? Json.object() : input;
            config = config == null ? new RunConfig(null, 0, null) : config;
        }
    }

    /**
     * The ModelConfig a run executes against: its id, version and runtime params, and (nullable) the runtime
     * backend and model reference that pick and configure a built-in shim (see {@code bridge.runtime}).
     */
    record RunConfig(String id, int version, ObjectNode params, String runtimeBackend, String modelRef) {
        public RunConfig {
            params = params == null ? Json.object() : params;
        }

        /** A config without backend or model: what a custom worker command needs. */
        public RunConfig(String id, int version, ObjectNode params) {
            this(id, version, params, null, null);
        }
    }

    /** Stop the named job as soon as possible; the worker answers with an error of code {@code canceled}. */
    record Cancel(String jobId) implements BridgeMessage {
        public Cancel {
            Objects.requireNonNull(jobId, "job_id");
        }
    }

    /** Exit the worker process; a job still running is abandoned. */
    record Shutdown() implements BridgeMessage {}
}
