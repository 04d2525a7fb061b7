package io.spindle.node.worker;

import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.model.job.Job;
import io.spindle.model.job.Progress;
import io.spindle.node.job.JobEntity;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The attempt a {@link WorkerProcess} is running, from the Run it received until the worker answered (or
 * died). Mutable, and only ever touched by its WorkerProcess actor.
 */
final class RunningJob {
    /** Tags the timers and async replies of this attempt, so those of an earlier one are recognised and dropped. */
    final long runId;
    final Job job;
    final EntityRef<JobEntity.Command> entity;
    /** Null until created. */
    Path scratchDir;
    BridgeMessage.RunConfig config;
    /** The run frame went out: from here on the worker process is working on the job. */
    boolean frameSent;
    /** A cancel was asked for (by the entity, or by this node after losing the lease). */
    boolean cancelRequested;
    boolean cancelSent;
    /** The lease is no longer ours: nothing more is reported to the entity, the worker is only stopped. */
    boolean abandoned;
    /** Proof of life arrived since the last relay to the entity. */
    boolean relayPending;
    private long lastRelayNanos;
    private Progress pendingProgress;

    RunningJob(long runId, Job job, EntityRef<JobEntity.Command> entity, long relayIntervalNanos) {
        this.runId = runId;
        this.job = job;
        this.entity = entity;
        this.lastRelayNanos = System.nanoTime() - relayIntervalNanos; // the first heartbeat is relayed at once
    }

    String jobId() {
        return job.id();
    }

    int attempt() {
        return job.attempt();
    }

    /** The config version the attempt runs on, for lineage: the resolved one, else the job's. */
    Integer configVersion() {
        return config != null && config.version() > 0 ? config.version() : job.configVersion();
    }

    /**
     * Notes a heartbeat ({@code progress} null) or progress; returns how long to wait before relaying it, zero
     * when a relay may go out now.
     */
    Duration offerRelay(Progress progress, long nowNanos, Duration interval) {
        relayPending = true;
        if (progress != null) {
            pendingProgress = progress;
        }
        long wait = interval.toNanos() - (nowNanos - lastRelayNanos);
        return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
    }

    /** Marks a relay as sent now; returns the latest progress to carry, or null for a plain heartbeat. */
    Progress takeRelay(long nowNanos) {
        Progress progress = pendingProgress;
        pendingProgress = null;
        relayPending = false;
        lastRelayNanos = nowNanos;
        return progress;
    }
}
