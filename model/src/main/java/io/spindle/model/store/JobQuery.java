package io.spindle.model.store;

import io.spindle.model.job.JobStatus;
import java.time.Instant;

/** A filter over the jobs read model, newest first; null fields do not filter. {@code cursor} continues a page. */
public record JobQuery(JobStatus status, String type, String configId, LabelFilter label, Instant since, Instant until, int limit,
                       String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    public JobQuery withLimit(int value) {
        return new JobQuery(status, type, configId, label, since, until, value, cursor);
    }

    public JobQuery withStatus(JobStatus value) {
        return new JobQuery(value, type, configId, label, since, until, limit, cursor);
    }

    public JobQuery withLabel(LabelFilter value) {
        return new JobQuery(status, type, configId, value, since, until, limit, cursor);
    }

    public JobQuery withCursor(String value) {
        return new JobQuery(status, type, configId, label, since, until, limit, value);
    }
}
