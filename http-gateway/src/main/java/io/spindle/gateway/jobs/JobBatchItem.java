package io.spindle.gateway.jobs;

import io.spindle.model.error.SpindleError;
import io.spindle.model.job.Job;

/** One item's result in {@code POST /jobs/batch}: the status POST /jobs would have answered, and the job or the error. */
public record JobBatchItem(int index, int status, Job job, SpindleError error) {}
