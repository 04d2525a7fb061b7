package io.spindle.model.job;

import java.time.Instant;

/** Who holds a job right now (node + worker) and until when, unless a heartbeat extends it. */
public record Lease(String node, String worker, Instant expiresAt) {
    public Lease extendedTo(Instant newExpiry) {
        return new Lease(node, worker, newExpiry);
    }
}
