package io.spindle.gateway.jobs;

import io.spindle.gateway.http.QueryParams;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.job.JobType;
import io.spindle.model.store.JobCursor;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.LabelFilter;
import io.spindle.model.validation.ConfigIds;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of {@code GET /jobs}, checked one by one into a {@link JobQuery}. */
final class JobQueryParams {
    static final Set<String> NAMES = Set.of("status", "type", "config_id", "label", "since", "until", "limit", "cursor");

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
        LabelFilter label = params.string("label").map(l -> label(l, params)).orElse(null);
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
        return new JobQuery(status, type, configId, label, since.orElse(null), until.orElse(null), limit, cursor);
    }

    /** {@code key:value}, split at the first ':' (a key never holds one); the key as a submit's labels allow it. */
    private static LabelFilter label(String raw, QueryParams params) {
        int at = raw.indexOf(LabelFilter.SEPARATOR);
        String key = at < 0 ? raw : raw.substring(0, at);
        if (at < 0 || !JobSpecValidator.isLabelKey(key)) {
            params.invalid("label", "must be key:value with a label key (a letter, then letters, digits, '_', '.', '-', '/'), was '"
                    + raw + "'");
            return null;
        }
        return new LabelFilter(key, raw.substring(at + 1));
    }
}
