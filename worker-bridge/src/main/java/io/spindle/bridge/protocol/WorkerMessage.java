package io.spindle.bridge.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.json.Json;
import java.util.List;
import java.util.Objects;

/**
 * Frames a worker process sends to its bridge. The {@code op} field of the JSON names the record;
 * fields are snake_case. Optional fields are null when absent.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = FrameCodec.OP_FIELD)
@JsonSubTypes({
        @JsonSubTypes.Type(value = WorkerMessage.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = WorkerMessage.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = WorkerMessage.Heartbeat.class, name = "heartbeat"),
        @JsonSubTypes.Type(value = WorkerMessage.Log.class, name = "log"),
        @JsonSubTypes.Type(value = WorkerMessage.Result.class, name = "result"),
        @JsonSubTypes.Type(value = WorkerMessage.Error.class, name = "error")
})
public sealed interface WorkerMessage {

    /** The job this frame is about, or null for a frame about the worker itself. */
    String jobId();

    /** First frame after connecting: who the worker is and which job types it serves. */
    record Hello(String name, List<String> jobTypes, String version, long pid) implements WorkerMessage {
        public Hello {
            Objects.requireNonNull(name, "name");
            jobTypes = jobTypes == null ? List.of() : List.copyOf(jobTypes);
        }

        @Override
        public String jobId() {
            return null;
        }
    }

    /** How far a running job is, in percent (0–100), with an optional message for people. */
    record Progress(String jobId, double percent, String message) implements WorkerMessage {
        public Progress {
            Objects.requireNonNull(jobId, "job_id");
        }
    }

    /** Proof of life while a job runs (extends its lease); jobId is null when sent while idle. */
    record Heartbeat(String jobId) implements WorkerMessage {}

    /** A log line the worker wants in the node's log, optionally about one job. */
    record Log(String jobId, String level, String message) implements WorkerMessage {
        public Log {
            level = level == null ? "info" : level;
            message = message == null ? "" : message;
        }
    }

    /** A job finished: its outputs and the artifacts it wrote in its scratch dir. */
    record Result(String jobId, ObjectNode outputs, List<ArtifactRef> artifacts) implements WorkerMessage {
        public Result {
            Objects.requireNonNull(jobId, "job_id");
            outputs = outputs == null ? Json.object() : outputs;
            artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        }
    }

    /**
     * A job failed. {@code isTransient} says whether another attempt may succeed; a canceled job
     * answers with code {@link #CANCELED}. A missing {@code transient} field reads as permanent.
     */
    record Error(String jobId, String message, String code, @JsonProperty("transient") boolean isTransient)
            implements WorkerMessage {
        public static final String CANCELED = "canceled";
        public static final String WORKER_EXCEPTION = "worker_exception";
        public static final String WORKER_BUSY = "worker_busy";
        public static final String UNSUPPORTED_JOB_TYPE = "unsupported_job_type";
        public static final String SCRATCH_DIR_MISSING = "scratch_dir_missing";
        public static final String DEFAULT_CODE = "worker_error";

        public Error {
            message = message == null ? "" : message;
            code = code == null || code.isBlank() ? DEFAULT_CODE : code;
        }

        public boolean isCanceled() {
            return CANCELED.equals(code);
        }
    }
}
