package io.spindle.gateway.jobs;

import java.util.List;

/** Body of {@code GET /jobs/{id}/events} as JSON: the job's whole history, oldest first. */
public record JobEventList(String jobId, List<JobEventView> events) {}
