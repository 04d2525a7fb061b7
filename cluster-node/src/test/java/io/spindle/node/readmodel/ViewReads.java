package io.spindle.node.readmodel;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobPage;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.JobViewStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The job view store, recording the ids each {@link JobViewStore#jobs} read asked for. */
final class ViewReads implements JobViewStore {
    private final JobViewStore store;
    private final List<String> ids = Collections.synchronizedList(new ArrayList<>());

    ViewReads(JobViewStore store) {
        this.store = store;
    }

    List<String> ids() {
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }

    @Override
    public CompletionStage<Optional<Job>> job(String id) {
        return store.job(id);
    }

    @Override
    public CompletionStage<Map<String, Job>> jobs(Collection<String> requested) {
        ids.addAll(requested);
        return store.jobs(requested);
    }

    @Override
    public CompletionStage<Void> putJobs(Collection<Job> jobViews) {
        return store.putJobs(jobViews);
    }

    @Override
    public CompletionStage<JobPage> queryJobs(JobQuery query) {
        return store.queryJobs(query);
    }

    @Override
    public CompletionStage<Map<JobStatus, Long>> countByStatus() {
        return store.countByStatus();
    }
}
