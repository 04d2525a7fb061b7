package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.configs.ConfigCache;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.gateway.http.JsonProblems;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.JobSpec;
import io.spindle.model.validation.ValidationException;
import io.spindle.model.validation.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code POST /jobs/batch}: each item is parsed, validated and submitted on its own, exactly as
 * {@code POST /jobs} would, all at once; one bad item never stops the others. Items share one config
 * lookup per config id. Only a malformed envelope (not {@code {"jobs": [...]}} with 1 to max-jobs
 * items) refuses the whole request, and so does a batch of which every item was refused as
 * {@code overloaded}: nothing was created, and the client gets one 429 with its Retry-After.
 */
public final class JobBatches {
    private static final String JOBS = "jobs";

    private final JobSubmitter submitter;
    private final ConfigCache configs;
    private final int maxJobs;

    public JobBatches(JobSubmitter submitter, ConfigCache configs, int maxJobs) {
        this.submitter = submitter;
        this.configs = configs;
        this.maxJobs = maxJobs;
    }

    /** @throws ValidationException when the envelope itself is invalid (nothing is submitted then) */
    public CompletionStage<JobBatchResult> submit(JsonNode body) {
        JsonNode jobs = envelope(body);
        Map<String, CompletionStage<Optional<ModelConfig>>> seen = new ConcurrentHashMap<>();
        Function<String, CompletionStage<Optional<ModelConfig>>> lookup = id -> seen.computeIfAbsent(id, configs::get);
        List<CompletableFuture<JobBatchItem>> items = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            items.add(item(i, jobs.get(i), lookup));
        }
        return CompletableFuture.allOf(items.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<JobBatchItem> results = items.stream().map(CompletableFuture::join).toList();
            int submitted = (int) results.stream().filter(r -> r.job() != null).count();
            if (submitted == 0 && results.stream().allMatch(r -> r.error().code() == ErrorCode.OVERLOADED)) {
                throw new SpindleException(results.get(0).error());
            }
            return new JobBatchResult(submitted, results.size() - submitted, results);
        });
    }

    private JsonNode envelope(JsonNode body) {
        Violations v = new Violations();
        if (!body.isObject()) {
            throw new ValidationException(JsonProblems.BODY, "must be a JSON object {\"jobs\": [...]}");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals(JOBS)) {
                v.add(name, "unknown field; known fields are [jobs]");
            }
        });
        JsonNode jobs = body.get(JOBS);
        if (jobs == null || jobs.isNull()) {
            v.add(JOBS, "is required: an array of 1 to " + maxJobs + " job specs");
        } else if (!jobs.isArray()) {
            v.add(JOBS, "must be an array of job specs");
        } else if (jobs.isEmpty()) {
            v.add(JOBS, "must list at least one job spec");
        } else if (jobs.size() > maxJobs) {
            v.add(JOBS, "at most " + maxJobs + " job specs per batch, got " + jobs.size());
        }
        v.throwIfAny();
        return jobs;
    }

    private CompletableFuture<JobBatchItem> item(int index, JsonNode node, Function<String, CompletionStage<Optional<ModelConfig>>> lookup) {
        JobSpec spec;
        try {
            if (!node.isObject()) {
                throw new ValidationException(JsonProblems.BODY, "must be a JSON object (a job spec)");
            }
            spec = GatewayJson.bind(node, JobSpec.class);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(index, e));
        }
        return submitter.submit(spec, lookup)
                .handle((s, failure) -> failure == null
                        ? new JobBatchItem(index, (s.created() ? StatusCodes.CREATED : StatusCodes.OK).intValue(),
                                PlacementWarnings.view(s.job(), s.warnings()), null)
                        : failure(index, failure))
                .toCompletableFuture();
    }

    private static JobBatchItem failure(int index, Throwable failure) {
        SpindleError error = ApiErrors.toError(failure);
        return new JobBatchItem(index, error.code().httpStatus(), null, error);
    }
}
