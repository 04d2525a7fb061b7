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
import io.spindle.model.validation.ValidationException;
import io.spindle.node.job.JobIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Submitting one job: validate the spec (defaults filled in), give it an idempotency key when the client gave none
 * (a random one, returned to the client), check that the config exists, is active and serves the type and that every
 * artifact the input references exists ({@link InputArtifactCheck}), and create the job on the config's current
 * version; the job's entity answers a Submit whose key names an existing job with that job, unchanged, and a retry
 * that a check refuses (its config or inputs changed since) still gets the key's job, looked up then. A spec naming an
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
        // Every submit has a key, so an answer that leaves its outcome unknown can name one to retry with safely.
        boolean keyGiven = spec.idempotencyKey() != null;
        JobSpec keyed = keyGiven ? spec : spec.withIdempotencyKey(UUID.randomUUID().toString());
        String id = JobIds.forSpec(keyed);
        return admission.admit(() -> create(id, keyed, keyGiven, configLookup));
    }

    private CompletionStage<Submission> create(String id, JobSpec spec, boolean keyGiven,
                                               Function<String, CompletionStage<Optional<ModelConfig>>> configLookup) {
        CompletionStage<Submission> submitted = spec.alias() != null
                ? aliases.resolve(spec.alias()).thenCompose(pinned -> {
                    JobSpec resolved = spec.withConfigId(pinned.id());
                    return createOn(id, resolved, servable(Optional.of(pinned), resolved)).thenApply(submission -> {
                        if (submission.created()) {
                            aliases.created(spec.alias(), submission.job());
                        }
                        return submission;
                    });
                })
                : configLookup.apply(spec.configId()).thenCompose(config -> createOn(id, spec, servable(config, spec)));
        if (!keyGiven) {
            return submitted; // a key the gateway just made names no job yet
        }
        // A key the client gave may name a job already: the Submit itself answers with it, without a lookup first. Only
        // when a check before the Submit refused the request (the config, alias or an input artifact changed since the
        // job was created) is the key's job looked up, so that a retry still returns it.
        return submitted.exceptionallyCompose(failure -> refusedByACheck(failure)
                ? keyed(id).thenCompose(found -> found.isPresent()
                        ? placement.of(found.get()).thenApply(warnings -> new Submission(found.get(), false, warnings))
                        : CompletableFuture.<Submission>failedFuture(failure))
                : CompletableFuture.failedFuture(failure));
    }

    /** A check refused the request (its config, alias or inputs; the entity's own validation), rather than an overload. */
    private static boolean refusedByACheck(Throwable failure) {
        return ApiErrors.unwrap(failure) instanceof SpindleException e && e.error().code().httpStatus() < 500
                && e.error().code() != ErrorCode.OVERLOADED;
    }

    /**
     * Submits the job on {@code config}'s version once every artifact its input references is known to exist; the
     * entity answers with the job and whether this Submit created it.
     */
    private CompletionStage<Submission> createOn(String id, JobSpec spec, ModelConfig config) {
        return inputArtifacts.checkExists(spec.input())
                .thenCompose(exist -> entities.submit(id, spec, config.version()))
                .thenCompose(reply -> (reply.created() ? placement.ofCreated(reply.job()) : placement.of(reply.job()))
                        .thenApply(warnings -> new Submission(reply.job(), reply.created(), warnings)));
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
