package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.List;
import java.util.Optional;

/**
 * A thin adapter between Spindle's run frame and one runtime (a local engine run as a subprocess, or an HTTP API).
 * A ModelConfig's {@code runtime_backend} names the shim; its {@code model_ref} and {@code params} configure each run.
 * A shim validates its input (a permanent {@code invalid_input} naming the field), classifies its failures with
 * {@link Failures}, reports progress and declares its files as artifacts with their media type.
 */
public interface RuntimeShim {
    /** The max heap of a worker JVM whose shim only talks to a runtime outside the heap (a process, a server). */
    int DEFAULT_HEAP_MB = 128;

    /** The {@code runtime_backend} value that selects this shim. */
    String backend();

    /** The job types this shim runs, reported in the worker's hello. */
    List<String> jobTypes();

    /** Why this shim cannot run on this machine (e.g. its engine is not installed); empty when it can. */
    Optional<String> unavailableReason();

    /**
     * The max heap, in MB, of a worker JVM serving this backend ({@code BuiltinWorkerArgv.runtime}): more than the
     * default only for a shim that holds its model on the heap.
     */
    default int maxHeapMb() {
        return DEFAULT_HEAP_MB;
    }

    /** Runs one attempt; a failure the caller did not foresee is a bug and fails the attempt as transient. */
    ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure;
}
