package io.spindle.model.store;

import io.spindle.model.job.Job;
import java.util.List;

/** One page of a job query; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> jobs, String nextCursor) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
