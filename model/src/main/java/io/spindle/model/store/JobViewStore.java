package io.spindle.model.store;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The job views the read-model projection folds from the journal, and the queries the API serves from them.
 * Failures complete the stage with a {@link io.spindle.model.error.SpindleException} carrying a typed error.
 */
public interface JobViewStore {

    CompletionStage<Optional<Job>> job(String id);

    /** The stored views among {@code ids}, in request order; ids without a view are left out. */
    CompletionStage<Map<String, Job>> jobs(Collection<String> ids);

    /** Stores each view unless the stored view of that job already has the same or a later revision. */
    CompletionStage<Void> putJobs(Collection<Job> views);

    /** One page of views, newest first; a bad cursor or limit fails the stage with INVALID_REQUEST. */
    CompletionStage<JobPage> queryJobs(JobQuery query);

    /** How many views are in each status, every status present (zero when none); one count per status, cheap on an index. */
    CompletionStage<Map<JobStatus, Long>> countByStatus();
}
