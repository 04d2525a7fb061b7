package io.spindle.node.readmodel;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds job events, in journal order, into job views, applying an event only when its sequence
 * number is the view's revision + 1. Lower numbers are duplicates or replays and are skipped, so an
 * event never counts twice; a higher number means events are missing, and the job is set aside as
 * a gap for the caller to complete from the job's own history.
 */
final class JobViewFold {
    private static final Logger log = LoggerFactory.getLogger(JobViewFold.class);

    private final Map<String, Job> views;
    private final Map<String, Job> changed = new LinkedHashMap<>();
    private final Map<String, String> gaps = new LinkedHashMap<>();
    private final Map<String, Long> highestSeen = new HashMap<>();

    /** A fold starting from the stored views (by job id) of the jobs it will see. */
    JobViewFold(Map<String, Job> stored) {
        this.views = new HashMap<>(stored);
    }

    void add(String persistenceId, long sequenceNr, JobEvent event) {
        String id = event.jobId();
        highestSeen.merge(id, sequenceNr, Math::max);
        if (gaps.containsKey(id)) {
            return; // the job's history, read in full, will include this event
        }
        Job view = views.get(id);
        long revision = view == null ? 0 : view.revision();
        if (sequenceNr <= revision) {
            return;
        }
        if (sequenceNr != revision + 1) {
            gaps.put(id, persistenceId);
            return;
        }
        Job next;
        if (view != null) {
            next = view.apply(event);
        } else if (event instanceof JobEvent.Submitted submitted) {
            next = Job.submitted(submitted);
        } else {
            // No view can start from anything but the submission; skipping keeps the projection moving.
            log.error("job {} ({}) starts with {} at sequence number 1, not a submission; it has no view",
                    id, persistenceId, event.getClass().getSimpleName());
            return;
        }
        views.put(id, next);
        changed.put(id, next);
    }

    /** The views this fold changed, by job id. */
    Map<String, Job> changed() {
        return Collections.unmodifiableMap(changed);
    }

    /** Jobs whose events skipped ahead of their view: job id → persistence id. */
    Map<String, String> gaps() {
        return Collections.unmodifiableMap(gaps);
    }

    /** The view of a job as this fold has it now (stored or folded), or null. */
    Job view(String jobId) {
        return views.get(jobId);
    }

    /** The highest sequence number seen for a job in this fold, 0 when none. */
    long highestSeen(String jobId) {
        return highestSeen.getOrDefault(jobId, 0L);
    }
}
