package io.spindle.model.queue;

/**
 * A notice in a config's queue that a job may be leased. It is only transport: the JobEntity is the
 * truth, so a stale or duplicate ticket is harmless (Lease rejects it).
 */
public record QueueTicket(String jobId, String configId, int priority, int attempt) {}
