package io.spindle.node.worker;

/**
 * Error codes with which a node fails an attempt that its worker did not answer itself (the codes a worker
 * answers with are its own, e.g. {@code canceled} or {@code worker_exception} from the SDKs). Transient unless
 * noted: another attempt may well succeed.
 */
public final class WorkerErrors {
    /** The attempt ran past the job's timeout and its process was killed (transience: spindle.workers.deadline-exceeded-transient). */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";
    /** The busy worker sent nothing for spindle.workers.unresponsive-after and was killed. */
    public static final String WORKER_UNRESPONSIVE = "worker_unresponsive";
    /** The worker process exited or closed its socket mid-attempt. */
    public static final String WORKER_CRASHED = "worker_crashed";
    /** The worker sent a malformed, oversize or unknown frame and was killed. */
    public static final String WORKER_PROTOCOL_ERROR = "worker_protocol_error";
    /** The attempt was leased to a worker whose process then failed to come up. */
    public static final String WORKER_UNAVAILABLE = "worker_unavailable";
    /** The attempt reached a worker that was busy with another one (the dispatcher lost track). */
    public static final String WORKER_BUSY = "worker_busy";
    /** The worker did not stop within spindle.workers.cancel-grace of a cancel and was killed (the job ends canceled). */
    public static final String CANCEL_UNANSWERED = "cancel_unanswered";
    /** Permanent: a declared output was outside the scratch dir, missing, not a file or declared twice. */
    public static final String ARTIFACT_REJECTED = "artifact_rejected";
    /** The artifact store or read model could not take the outputs. */
    public static final String ARTIFACT_UPLOAD_FAILED = "artifact_upload_failed";
    /** The node could not create the attempt's scratch dir. */
    public static final String SCRATCH_DIR_UNAVAILABLE = "scratch_dir_unavailable";
    /** Permanent: an artifact the job's input references is gone from the catalog or the artifact store. */
    public static final String INPUT_ARTIFACT_MISSING = "input_artifact_missing";
    /** The artifacts the job's input references could not be fetched (store unreachable, bytes not as recorded). */
    public static final String INPUT_FETCH_FAILED = "input_fetch_failed";
    /** Permanent: the run frame (mostly the job's input) exceeds spindle.workers.max-frame-bytes. */
    public static final String INPUT_TOO_LARGE = "input_too_large";

    private WorkerErrors() {}
}
