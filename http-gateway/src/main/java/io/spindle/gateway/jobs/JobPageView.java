package io.spindle.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spindle.model.job.Job;
import java.util.List;

/** Body of {@code GET /jobs}: one page, newest first; {@code next_cursor} is null (and present) on the last page. */
public record JobPageView(List<Job> jobs, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}
