package io.spindle.gateway.jobs;

import java.util.List;

/** Body answering {@code POST /jobs/batch}: one result per item, in request order. */
public record JobBatchResult(int submitted, int failed, List<JobBatchItem> results) {}
