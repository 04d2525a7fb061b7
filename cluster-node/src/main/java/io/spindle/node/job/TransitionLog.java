package io.spindle.node.job;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log line of each journaled transition of a job, written by its entity's node. */
final class TransitionLog {
    // The entity's logger: operators filter job transitions by it.
    private static final Logger log = LoggerFactory.getLogger(JobEntity.class);

    private TransitionLog() {}

    /**
     * One line per transition; the lease and the start of a run (two of a happy job's four) at debug, as Celery
     * logs a task received and done: the job view and its history carry them anyway.
     */
    static void log(JobEvent event, Job job, String node) {
        boolean routine = event instanceof JobEvent.Leased || event instanceof JobEvent.Started;
        if (routine ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
            return;
        }
        String line = "job {} config {} {} -> {} (attempt {}/{}) node {}{}";
        Object[] args = {job.id(), job.configId(), event.getClass().getSimpleName(), job.status().wireName(), job.attempt(),
                job.attemptsLimit(), node, detail(event)};
        if (routine) {
            log.debug(line, args);
        } else {
            log.info(line, args);
        }
    }

    private static String detail(JobEvent event) {
        if (event instanceof JobEvent.Leased e) {
            return " lease " + e.worker() + "@" + e.node() + " until " + e.leaseExpiresAt();
        } else if (event instanceof JobEvent.RetryScheduled e) {
            return " error " + e.error().code() + ", retry at " + e.retryAt();
        } else if (event instanceof JobEvent.Failed e) {
            return " error " + e.error().code() + ": " + e.error().message();
        } else if (event instanceof JobEvent.DeadLettered e) {
            return " error " + e.error().code() + ": " + e.error().message();
        } else if (event instanceof JobEvent.CancelRequested e) {
            return " reason " + e.reason();
        } else if (event instanceof JobEvent.Canceled e) {
            return " reason " + e.reason();
        } else if (event instanceof JobEvent.LeaseReleased e) {
            return " lease " + e.worker() + "@" + e.node() + " released: " + e.reason();
        }
        return "";
    }
}
