package io.spindle.bridge.protocol;

/** Environment variables through which a host configures the worker process it spawns, and their defaults. */
public final class WorkerEnv {
    /** Path of the Unix domain socket the worker connects to (a worker may take it as first argument instead). */
    public static final String SOCKET = "SPINDLE_WORKER_SOCKET";
    /** Milliseconds between heartbeats while a job runs. */
    public static final String HEARTBEAT_MS = "SPINDLE_HEARTBEAT_MS";
    /** Largest frame payload in bytes either side accepts. */
    public static final String MAX_FRAME_BYTES = "SPINDLE_MAX_FRAME_BYTES";

    public static final long DEFAULT_HEARTBEAT_MS = 1_000;

    private WorkerEnv() {}
}
