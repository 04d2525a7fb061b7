package io.spindle.bridge.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;

/** What a running job can see and do: its inputs, and ways to report progress, artifacts and logs, and notice cancellation. */
public interface WorkerContext {

    JobRun job();

    default JsonNode input() {
        return job().input();
    }

    /** The ModelConfig's runtime params. */
    default ObjectNode params() {
        return job().params();
    }

    /** Where the job writes its outputs; it exists when {@code execute} starts. */
    default Path scratchDir() {
        return job().scratchDir();
    }

    default int attempt() {
        return job().attempt();
    }

    /** Reports progress in percent (0–100); cheap, but the bridge may throttle what it records. */
    void progress(double percent, String message);

    /**
     * Declares a file the job wrote as an output artifact. A relative path is taken in the scratch dir; an absolute
     * one must lie inside it.
     */
    void artifact(Path path, String kind, String mime);

    default void artifact(String path, String kind, String mime) {
        artifact(Path.of(path), kind, mime);
    }

    /** True once the bridge canceled this job; the job should stop soon (its answer becomes {@code canceled}). */
    boolean isCancelled();

    /** Throws the canceled failure once the job is canceled: a convenient check point in loops. */
    default void checkCancelled() throws WorkerFailure {
        if (isCancelled()) {
            throw WorkerFailure.canceled();
        }
    }

    /** Sleeps, waking early with the canceled failure when the job is canceled. */
    void sleep(Duration duration) throws WorkerFailure;

    /** Sends a log line to the node's log, tagged with this job. */
    void log(String level, String message);

    /** Sends a heartbeat now (besides the automatic ones). */
    void heartbeat();

    /**
     * Turns the automatic heartbeats for this job on or off. A worker that drives an external runtime can turn them
     * off and call {@link #heartbeat()} only while the runtime answers, so a stuck runtime shows as a silent worker.
     */
    void autoHeartbeat(boolean enabled);
}
