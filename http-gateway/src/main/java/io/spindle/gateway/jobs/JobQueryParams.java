package io.spindle.gateway.jobs;

import io.spindle.gateway.http.QueryParams;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.JobType;
import io.spindle.model.store.JobCursor;
import io.spindle.model.store.JobQuery;
import io.spindle.model.validation.ConfigIds;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of {@code GET /jobs}, checked one by one into a {@link JobQuery}. */
final class JobQueryParams {
    static final Set<String> NAMES = Set.of("status", "type", "config_id", "since", "until", "limit", "cursor");

    private JobQueryParams() {}

    /** @throws io.spindle.model.validation.ValidationException naming every invalid parameter */
    static JobQuery parse(Map<String, List<String>> raw) {
        QueryParams params = QueryParams.of(raw, NAMES);
        JobStatus status = params.string("status").map(s -> JobStatus.fromWireName(s).orElseGet(() -> {
            params.invalid("status", "'" + s + "' is not a job status; one of "
                    + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList());
            return null;
        })).orElse(null);
        String type = params.string("type").orElse(null);
        if (type != null && JobType.problem(type) != null) {
            params.invalid("type", JobType.problem(type));
        }
        String configId = params.string("config_id").orElse(null);
        if (configId != null && ConfigIds.problem(configId) != null) {
            params.invalid("config_id", ConfigIds.problem(configId));
        }
        Optional<Instant> since = params.instant("since");
        Optional<Instant> until = params.instant("until");
        if (since.isPresent() && until.isPresent() && !until.get().isAfter(since.get())) {
            params.invalid("until", "must be after since");
        }
        int limit = params.integer("limit", 1, JobQuery.MAX_LIMIT).orElse(JobQuery.DEFAULT_LIMIT);
        String cursor = params.string("cursor").orElse(null);
        if (cursor != null) {
            try {
                JobCursor.decode(cursor);
            } catch (SpindleException e) {
                params.invalid("cursor", "is not a next_cursor returned by GET /jobs");
            }
        }
        params.throwIfAny();
        return new JobQuery(status, type, configId, since.orElse(null), until.orElse(null), limit, cursor);
    }
}
