package io.spindle.gateway.jobs;

import io.spindle.gateway.configs.ConfigCache;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.JsonLimits;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.TimeOrderedUuids;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.job.JobIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Submitting one job: validate the spec (defaults filled in), give it an idempotency key when the client gave none
 * (a random one, returned to the client), return the existing job when the client's idempotency key names one,
 * else check that the config exists, is active and serves the type and that every artifact the input references
 * exists ({@link InputArtifactCheck}), and create the job on the config's current version. A spec naming an
 * {@code alias} instead of a config is resolved first: the job gets the alias's config id and runs on the alias's
 * pinned version, so its retries never switch versions whatever the alias does later. Nothing is written unless
 * every check passed. The answer carries the job's {@link PlacementWarnings}. Each
 * submission holds one of the node's admission permits from the first ask to its answer
 * ({@link SubmitAdmission}); every refusal says whether the job exists.
 */
public final class JobSubmitter {
    private static final String INPUT = "input";

    /**
     * The job, whether this submission created it (false: the idempotency key named an existing job), and its
     * warnings ({@link PlacementWarnings}).
     */
    public record Submission(Job job, boolean created, List<String> warnings) {}

    private final ConfigCache configs;
    private final JobEntities entities;
    private final SubmitAdmission admission;
    private final JsonLimits limits;
    private final InputArtifactCheck inputArtifacts;
    private final AliasResolver aliases;
    private final PlacementWarnings placement;

    /** Where an alias points, as an exact config version; fails with {@code alias_not_found} when there is no such alias. */
    @FunctionalInterface
    public interface AliasResolver {
        CompletionStage<ModelConfig> resolve(String alias);

        /** A job was just created on the alias (e.g. to mirror it to the alias's shadow). */
        default void created(String alias, Job job) {}
    }

    public JobSubmitter(ConfigCache configs, JobEntities entities, SubmitAdmission admission, JsonLimits limits,
                        InputArtifactCheck inputArtifacts, AliasResolver aliases, PlacementWarnings placement) {
        this.configs = configs;
        this.entities = entities;
        this.admission = admission;
        this.limits = limits;
        this.inputArtifacts = inputArtifacts;
        this.aliases = aliases;
        this.placement = placement;
    }

    public CompletionStage<Submission> submit(JobSpec parsed) {
        return submit(parsed, configs::get);
    }

    /** @param configLookup where to find configs (a batch shares one lookup per config id) */
    public CompletionStage<Submission> submit(JobSpec parsed, Function<String, CompletionStage<Optional<ModelConfig>>> configLookup) {
        JobSpec spec;
        try {
            if (parsed != null && parsed.alias() != null && parsed.configId() != null) {
                throw new ValidationException("alias", "give config_id or alias, not both");
            }
            spec = JobSpecValidator.validate(parsed);
            limits.checkValue(INPUT, spec.input());
            inputArtifacts.checkShape(spec.input());
        } catch (ValidationException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Every submit has a key, so an answer that leaves its outcome unknown can name one to retry with safely. A key
        // made here is time-ordered, and so is the job id derived from it (JobIds).
        boolean keyGiven = spec.idempotencyKey() != null;
        JobSpec keyed = keyGiven ? spec : spec.withIdempotencyKey(TimeOrderedUuids.next());
        String id = JobIds.forSpec(keyed);
        return admission.admit(() -> create(id, keyed, keyGiven, configLookup));
    }

    private CompletionStage<Submission> create(String id, JobSpec spec, boolean keyGiven,
                                               Function<String, CompletionStage<Optional<ModelConfig>>> configLookup) {
        // A retried submission returns its job even if the config changed since: the key names that job. A key the
        // gateway just made names no job yet, so it costs no lookup.
        CompletionStage<Optional<Job>> existing = keyGiven ? keyed(id) : CompletableFuture.completedFuture(Optional.empty());
        return existing.thenCompose(found -> {
            if (found.isPresent()) {
                return placement.of(found.get()).thenApply(warnings -> new Submission(found.get(), false, warnings));
            }
            if (spec.alias() != null) {
                return aliases.resolve(spec.alias()).thenCompose(pinned -> {
                    JobSpec resolved = spec.withConfigId(pinned.id());
                    return createOn(id, resolved, servable(Optional.of(pinned), resolved)).thenApply(submission -> {
                        aliases.created(spec.alias(), submission.job());
                        return submission;
                    });
                });
            }
            return configLookup.apply(spec.configId()).thenCompose(config -> createOn(id, spec, servable(config, spec)));
        });
    }

    /** Creates the job on {@code config}'s version once every artifact its input references is known to exist. */
    private CompletionStage<Submission> createOn(String id, JobSpec spec, ModelConfig config) {
        return inputArtifacts.checkExists(spec.input())
                .thenCompose(exist -> entities.submit(id, spec, config.version()))
                .thenCompose(job -> placement.ofCreated(job).thenApply(warnings -> new Submission(job, true, warnings)));
    }

    /** The job an idempotency key names; a slow answer refuses this request, which has then created nothing. */
    private CompletionStage<Optional<Job>> keyed(String id) {
        return entities.find(id).exceptionally(failure -> {
            Throwable cause = ApiErrors.unwrap(failure);
            if (cause instanceof TimeoutException) {
                throw new SpindleException(admission.notCreated("its idempotency key could not be looked up in time; a job an"
                        + " earlier request created with this key is returned by a retry"));
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
    }

    private static ModelConfig servable(Optional<ModelConfig> found, JobSpec spec) {
        String configId = spec.configId();
        ModelConfig config = found.orElseThrow(() -> new SpindleException(SpindleError.of(ErrorCode.CONFIG_NOT_FOUND,
                "no config '" + configId + "'", Map.of("config_id", configId))));
        if (!config.isActive()) {
            throw new SpindleException(SpindleError.of(ErrorCode.CONFIG_INACTIVE,
                    "config '" + configId + "' is inactive and accepts no jobs (PATCH /configs/" + configId + " with is_active true)",
                    Map.of("config_id", configId)));
        }
        if (!config.serves(spec.jobType())) {
            throw new SpindleException(SpindleError.of(ErrorCode.JOB_TYPE_NOT_SERVED,
                    "config '" + configId + "' does not serve " + spec.type() + "; it serves " + config.jobTypes(),
                    Map.of("config_id", configId, "type", spec.type(), "job_types", config.jobTypes())));
        }
        return config;
    }
}
