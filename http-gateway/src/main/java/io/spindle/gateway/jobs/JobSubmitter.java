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

    /** Where a job goes once the checks passed: its spec (config id resolved), the config, and the alias it came by, if any. */
    private record Target(JobSpec spec, ModelConfig config, String alias) {}

    private CompletionStage<Submission> create(String id, JobSpec spec, boolean keyGiven,
                                               Function<String, CompletionStage<Optional<ModelConfig>>> configLookup) {
        // A key the client gave may name a job already: its entity answers the Submit with that job, so there is no
        // lookup first. When a check refuses the request (its config, alias or inputs changed since the job was
        // created, or the registry could not be read), the key's job is looked up, so that a retry still gets it. A key
        // the gateway just made names no job yet.
        return check(spec, configLookup).handle((target, refusal) -> {
            if (refusal == null) {
                return submitTo(id, target);
            }
            return keyGiven ? existing(id, refusal) : CompletableFuture.<Submission>failedFuture(refusal);
        }).thenCompose(Function.identity());
    }

    /** The config (an alias resolved to its pinned version) exists, is active and serves the type; the input's artifacts exist. */
    private CompletionStage<Target> check(JobSpec spec, Function<String, CompletionStage<Optional<ModelConfig>>> configLookup) {
        CompletionStage<Target> target = spec.alias() != null
                ? aliases.resolve(spec.alias()).thenApply(pinned -> {
                    JobSpec resolved = spec.withConfigId(pinned.id());
                    return new Target(resolved, servable(Optional.of(pinned), resolved), spec.alias());
                })
                : configLookup.apply(spec.configId()).thenApply(config -> new Target(spec, servable(config, spec), null));
        return target.thenCompose(checked -> inputArtifacts.checkExists(checked.spec().input()).thenApply(exist -> checked));
    }

    /** Submits the job on its config's version; the entity answers with the job and whether this Submit created it. */
    private CompletionStage<Submission> submitTo(String id, Target target) {
        return entities.submit(id, target.spec(), target.config().version()).thenCompose(reply -> {
            if (reply.created() && target.alias() != null) {
                aliases.created(target.alias(), reply.job());
            }
            return (reply.created() ? placement.ofCreated(reply.job()) : placement.of(reply.job()))
                    .thenApply(warnings -> new Submission(reply.job(), reply.created(), warnings));
        });
    }

    /** The key's job when a check refused its retry; the refusal when there is no such job. */
    private CompletionStage<Submission> existing(String id, Throwable refusal) {
        return keyed(id).thenCompose(found -> found.isPresent()
                ? placement.of(found.get()).thenApply(warnings -> new Submission(found.get(), false, warnings))
                : CompletableFuture.failedFuture(refusal));
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
