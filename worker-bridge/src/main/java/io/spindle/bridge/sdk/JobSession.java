package io.spindle.bridge.sdk;

import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link WorkerContext} of one running job, and the SDK's bookkeeping for it. */
final class JobSession implements WorkerContext {
    private static final Logger log = LoggerFactory.getLogger(JobSession.class);

    private final JobRun job;
    private final WorkerConnection connection;
    private final List<ArtifactRef> artifacts = new ArrayList<>();
    private final Object lock = new Object();
    private volatile boolean cancelled;
    private volatile boolean autoHeartbeat = true;
    private boolean finished;
    private Thread thread;

    JobSession(JobRun job, WorkerConnection connection) {
        this.job = job;
        this.connection = connection;
    }

    @Override
    public JobRun job() {
        return job;
    }

    @Override
    public void progress(double percent, String message) {
        send(new WorkerMessage.Progress(job.jobId(), percent, message));
    }

    @Override
    public void artifact(Path path, String kind, String mime) {
        Path scratch = job.scratchDir();
        Path file = (path.isAbsolute() ? path : scratch.resolve(path)).normalize();
        if (!file.startsWith(scratch) || file.equals(scratch)) {
            throw new IllegalArgumentException("artifact " + path + " is not inside the scratch dir " + scratch);
        }
        String relative = scratch.relativize(file).toString().replace(File.separatorChar, '/');
        synchronized (lock) {
            artifacts.add(new ArtifactRef(relative, kind, mime));
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void sleep(Duration duration) throws WorkerFailure {
        checkCancelled();
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkCancelled();
    }

    @Override
    public void log(String level, String message) {
        send(new WorkerMessage.Log(job.jobId(), level, message));
    }

    @Override
    public void heartbeat() {
        synchronized (lock) {
            if (!finished) {
                send(new WorkerMessage.Heartbeat(job.jobId()));
            }
        }
    }

    @Override
    public void autoHeartbeat(boolean enabled) {
        autoHeartbeat = enabled;
    }

    /** Called by the heartbeat timer. */
    void autoBeat() {
        if (autoHeartbeat) {
            heartbeat();
        }
    }

    /** The bridge canceled the job: flag it and wake the job thread out of any sleep or wait. */
    void cancel() {
        synchronized (lock) {
            cancelled = true;
            if (thread != null && !finished) {
                connection.interruptOutsideWrites(thread);
            }
        }
    }

    /** Binds the session to the thread that runs it, so a cancel can interrupt it. */
    void runningOn(Thread current) {
        synchronized (lock) {
            thread = current;
        }
    }

    /** Ends the session: no heartbeat and no interrupt for this job after this returns. */
    List<ArtifactRef> finish() {
        synchronized (lock) {
            finished = true;
            thread = null;
            return List.copyOf(artifacts);
        }
    }

    String jobId() {
        return job.jobId();
    }

    private void send(WorkerMessage message) {
        try {
            connection.send(message);
        } catch (ProtocolException e) {
            log.warn("dropping a frame for job {}: {}", job.jobId(), e.getMessage());
        }
    }
}
