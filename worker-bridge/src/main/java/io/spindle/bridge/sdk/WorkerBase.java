package io.spindle.bridge.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerEnv;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java worker SDK. A worker subclasses this, implements {@link #execute} and calls {@link #launch} from its
 * {@code main}. The SDK connects to the bridge's socket ({@value WorkerEnv#SOCKET} or the first argument), says
 * hello, runs one job at a time on a job thread, heartbeats while a job runs, turns a cancel into the
 * {@code canceled} answer, and returns when the bridge says shutdown or closes the socket.
 */
public abstract class WorkerBase {
    public static final int EXIT_OK = 0;
    public static final int EXIT_CANNOT_CONNECT = 1;
    public static final int EXIT_BAD_SETTINGS = 2;
    private static final Logger log = LoggerFactory.getLogger(WorkerBase.class);

    private final AtomicReference<JobSession> current = new AtomicReference<>();

    /** The worker's name, reported in hello. */
    protected abstract String name();

    /** The job types (or {@code ns.*} patterns) this worker runs. */
    protected abstract List<String> jobTypes();

    /** The worker's version, reported in hello. */
    protected String version() {
        String version = getClass().getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * Runs one job attempt and returns its outputs. Throw {@link WorkerFailure} to fail it on purpose; any other
     * exception fails it as transient {@code worker_exception}. Write files into {@code ctx.scratchDir()} and declare
     * them with {@link WorkerContext#artifact}.
     */
    protected abstract ObjectNode execute(JobRun job, WorkerContext ctx) throws Exception;

    /** Serves until shutdown, then exits the JVM with the status. For a worker's {@code main}. */
    public static void launch(WorkerBase worker, String[] args) {
        System.exit(worker.serve(args));
    }

    /** Serves with settings from the environment (socket path from the first argument if given); returns an exit status. */
    public final int serve(String[] args) {
        Map<String, String> env = System.getenv();
        Path socket;
        Duration heartbeat;
        int maxFrameBytes;
        try {
            String path = args.length > 0 ? args[0] : env.get(WorkerEnv.SOCKET);
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("no socket path: pass it as first argument or set " + WorkerEnv.SOCKET);
            }
            socket = Path.of(path);
            heartbeat = Duration.ofMillis(positive(env, WorkerEnv.HEARTBEAT_MS, WorkerEnv.DEFAULT_HEARTBEAT_MS));
            maxFrameBytes = Math.toIntExact(positive(env, WorkerEnv.MAX_FRAME_BYTES, FrameCodec.DEFAULT_MAX_FRAME_BYTES));
        } catch (IllegalArgumentException | ArithmeticException e) {
            log.error("worker {} cannot start: {}", name(), e.getMessage());
            return EXIT_BAD_SETTINGS;
        }
        return serve(socket, heartbeat, maxFrameBytes);
    }

    /** Connects to {@code socket} and serves jobs until the bridge says shutdown or goes away; returns an exit status. */
    public final int serve(Path socket, Duration heartbeatInterval, int maxFrameBytes) {
        WorkerConnection connection;
        try {
            connection = WorkerConnection.connect(socket, new FrameCodec(maxFrameBytes));
        } catch (IOException e) {
            log.error("worker {} cannot connect to {}: {}", name(), socket, e.toString());
            return EXIT_CANNOT_CONNECT;
        }
        ExecutorService jobThread = Executors.newSingleThreadExecutor(daemon("spindle-job"));
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("spindle-heartbeat"));
        try {
            connection.send(new WorkerMessage.Hello(name(), jobTypes(), version(), ProcessHandle.current().pid()));
            long interval = heartbeatInterval.toMillis();
            heartbeats.scheduleAtFixedRate(() -> {
                JobSession session = current.get();
                if (session != null) {
                    session.autoBeat();
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
            readUntilDone(connection, jobThread);
        } catch (ProtocolException e) {
            log.error("worker {} cannot say hello: {}", name(), e.getMessage());
        } finally {
            heartbeats.shutdownNow();
            jobThread.shutdownNow();
            connection.close();
        }
        return EXIT_OK;
    }

    private void readUntilDone(WorkerConnection connection, ExecutorService jobThread) {
        while (true) {
            BridgeMessage message;
            try {
                byte[] payload = connection.next();
                if (payload == null) {
                    log.info("bridge closed the connection; worker {} stops", name());
                    return;
                }
                message = connection.codec().decodeBridgeMessage(payload);
            } catch (ProtocolException e) {
                // Unknown ops are skipped so an older worker survives a newer bridge.
                log.warn("worker {} ignores a frame: {}", name(), e.getMessage());
                if (e.isFatal()) {
                    return;
                }
                continue;
            } catch (IOException e) {
                log.info("connection to the bridge failed ({}); worker {} stops", e.toString(), name());
                return;
            }
            if (message instanceof BridgeMessage.Run run) {
                start(run, connection, jobThread);
            } else if (message instanceof BridgeMessage.Cancel cancel) {
                JobSession session = current.get();
                if (session != null && session.jobId().equals(cancel.jobId())) {
                    session.cancel();
                }
            } else if (message instanceof BridgeMessage.Shutdown) {
                log.info("bridge asked worker {} to shut down", name());
                return;
            }
        }
    }

    private void start(BridgeMessage.Run run, WorkerConnection connection, ExecutorService jobThread) {
        JobSession session = new JobSession(JobRun.of(run), connection);
        if (!current.compareAndSet(null, session)) {
            reply(connection, new WorkerMessage.Error(run.jobId(),
                    "worker is busy with job " + current.get().jobId(), WorkerMessage.Error.WORKER_BUSY, true));
            return;
        }
        jobThread.execute(() -> runJob(session, connection));
    }

    private void runJob(JobSession session, WorkerConnection connection) {
        session.runningOn(Thread.currentThread());
        JobRun job = session.job();
        ObjectNode outputs = null;
        WorkerMessage.Error failure = null;
        try {
            session.checkCancelled();
            requireScratchDir(job);
            outputs = execute(job, session);
        } catch (WorkerFailure e) {
            failure = new WorkerMessage.Error(job.jobId(), e.getMessage(), e.code(), e.isTransient());
        } catch (Throwable e) { // a worker's bug must become an answer, not a silent job
            log.warn("job {} threw", job.jobId(), e);
            failure = new WorkerMessage.Error(job.jobId(), e.toString(), WorkerMessage.Error.WORKER_EXCEPTION, true);
        }
        List<ArtifactRef> artifacts = session.finish();
        Thread.interrupted(); // a late cancel's interrupt must not leak into the next job
        current.compareAndSet(session, null);
        WorkerMessage answer;
        if (session.isCancelled()) {
            answer = new WorkerMessage.Error(job.jobId(), "job canceled", WorkerMessage.Error.CANCELED, false);
        } else if (failure != null) {
            answer = failure;
        } else {
            answer = new WorkerMessage.Result(job.jobId(), outputs, artifacts);
        }
        reply(connection, answer);
    }

    /**
     * The node creates each attempt's scratch dir, private, before it sends the run, and deletes it when the
     * attempt ends. A dir that is gone means the node stopped this attempt before the worker reached it: the job
     * must not run, and re-creating the dir would leave it behind with this process's umask.
     */
    private static void requireScratchDir(JobRun job) throws WorkerFailure {
        if (!Files.isDirectory(job.scratchDir())) {
            throw WorkerFailure.transientFailure(WorkerMessage.Error.SCRATCH_DIR_MISSING,
                    "scratch dir " + job.scratchDir() + " does not exist: the node has ended this attempt");
        }
    }

    private void reply(WorkerConnection connection, WorkerMessage answer) {
        try {
            connection.send(answer);
        } catch (ProtocolException e) {
            // Typically outputs over the frame limit: retrying will not shrink them.
            try {
                connection.send(new WorkerMessage.Error(answer.jobId(), e.getMessage(), "frame_too_large", false));
            } catch (ProtocolException impossible) {
                log.error("cannot answer job {}: {}", answer.jobId(), impossible.getMessage());
            }
        }
    }

    private static long positive(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, was '" + value + "'");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
