package io.spindle.gateway.configs;

import static io.spindle.gateway.http.Replies.created;
import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;

import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.gateway.http.JsonProblems;
import io.spindle.gateway.http.QueryParams;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.config.ModelConfigValidator;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.ConfigIds;
import io.spindle.model.validation.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The ModelConfig registry: register (version 1), list, read (latest or a given version), list
 * versions, and change — flipping the active flag, or storing a new version when the definition
 * changes. Every change is validated as a whole before it is written.
 */
public final class ConfigRoutes {
    private static final String VERSION = "version";
    private static final String IS_ACTIVE = "is_active";
    private static final String PARAMS = "params";
    private static final List<String> PATCH_FIELDS =
            List.of("name", "job_types", "runtime_backend", "model_ref", PARAMS, "preferred_node", IS_ACTIVE, "version_label");

    private final ConfigRegistry registry;
    private final ConfigCache cache;
    private final RequestBodies bodies;
    private final Clock clock;

    public ConfigRoutes(ConfigRegistry registry, ConfigCache cache, RequestBodies bodies, Clock clock) {
        this.registry = registry;
        this.cache = cache;
        this.bodies = bodies;
        this.clock = clock;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/configs", p -> list()),
                Endpoint.post("/configs", p -> create()),
                Endpoint.get("/configs/{id}", p -> get(p.get("id"))),
                Endpoint.patch("/configs/{id}", p -> patch(p.get("id"))),
                Endpoint.get("/configs/{id}/versions", p -> versions(p.get("id"))));
    }

    private Route list() {
        return QueryParams.none(() -> respond(registry.configs().thenApply(configs -> ok(new ConfigList(configs)))));
    }

    private Route create() {
        return bodies.json(ConfigCreate.class, body -> {
            bodies.limits().checkValue(PARAMS, body.params());
            ModelConfig config = body.toConfig(clock.instant());
            return respond(registry.createConfig(config).thenApply(saved -> {
                cache.invalidate(saved.id());
                return created("/configs/" + saved.id(), saved);
            }));
        });
    }

    private Route get(String id) {
        return parameterMultiMap(raw -> {
            QueryParams params = QueryParams.of(raw, Set.of(VERSION));
            Optional<Integer> version = params.integer(VERSION, 1, Integer.MAX_VALUE);
            params.throwIfAny();
            if (ConfigIds.problem(id) != null) {
                return ApiErrors.reply(notFound(id));
            }
            if (version.isEmpty()) {
                return respond(registry.config(id).thenApply(found -> ok(found.orElseThrow(() -> new SpindleException(notFound(id))))));
            }
            int wanted = version.get();
            return respond(registry.configVersions(id).thenApply(versions -> {
                if (versions.isEmpty()) {
                    throw new SpindleException(notFound(id));
                }
                return ok(versions.stream().filter(v -> v.version() == wanted).findFirst().orElseThrow(() -> new SpindleException(
                        SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "config '" + id + "' has no version " + wanted + "; its latest is "
                                        + versions.get(versions.size() - 1).version(),
                                Map.of("config_id", id, VERSION, wanted, "latest_version", versions.get(versions.size() - 1).version())))));
            }));
        });
    }

    private Route versions(String id) {
        return QueryParams.none(() -> {
            if (ConfigIds.problem(id) != null) {
                return ApiErrors.reply(notFound(id));
            }
            return respond(registry.configVersions(id).thenApply(versions -> {
                if (versions.isEmpty()) {
                    throw new SpindleException(notFound(id));
                }
                return ok(new ConfigVersionList(id, versions));
            }));
        });
    }

    private Route patch(String id) {
        return bodies.json(tree -> {
            ConfigPatch patch = GatewayJson.bind(tree, ConfigPatch.class);
            bodies.limits().checkValue(PARAMS, patch.params());
            Set<String> given = new HashSet<>();
            tree.fieldNames().forEachRemaining(given::add);
            if (given.isEmpty()) {
                throw new ValidationException(JsonProblems.BODY, "give at least one field to change, of " + PATCH_FIELDS);
            }
            if (given.contains(IS_ACTIVE) && patch.isActive() == null) {
                throw new ValidationException(IS_ACTIVE, "must be true or false");
            }
            if (ConfigIds.problem(id) != null) {
                return ApiErrors.reply(notFound(id));
            }
            return respond(registry.config(id)
                    .thenCompose(found -> apply(found.orElseThrow(() -> new SpindleException(notFound(id))), patch, given))
                    .thenApply(latest -> {
                        cache.invalidate(id);
                        return ok(latest);
                    }));
        });
    }

    /** Validates the merged config, then makes a new version, flips the active flag, or changes nothing. */
    private CompletionStage<ModelConfig> apply(ModelConfig current, ConfigPatch patch, Set<String> given) {
        Instant now = clock.instant();
        ModelConfig merged = new ModelConfig(current.id(),
                given.contains("name") ? patch.name() : current.name(),
                current.version(),
                given.contains("job_types") ? patch.jobTypes() : current.jobTypes(),
                given.contains("runtime_backend") ? patch.runtimeBackend() : current.runtimeBackend(),
                given.contains("model_ref") ? patch.modelRef() : current.modelRef(),
                given.contains(PARAMS) ? patch.params() : current.params(),
                given.contains("preferred_node") ? patch.preferredNode() : current.preferredNode(),
                current.isActive(), current.createdAt(),
                given.contains("version_label") ? patch.versionLabel() : current.versionLabel());
        ModelConfig checked = ModelConfigValidator.validateNew(merged, now);
        Boolean active = given.contains(IS_ACTIVE) ? patch.isActive() : null;
        if (!sameDefinition(current, checked)) {
            ModelConfig next = current.nextVersion(checked, now);
            return registry.saveConfigVersion(active == null ? next : next.withActive(active));
        }
        if (active != null && active != current.isActive()) {
            return registry.setConfigActive(current.id(), active);
        }
        return CompletableFuture.completedFuture(current);
    }

    private static boolean sameDefinition(ModelConfig a, ModelConfig b) {
        return Objects.equals(a.name(), b.name()) && Objects.equals(a.jobTypes(), b.jobTypes())
                && Objects.equals(a.runtimeBackend(), b.runtimeBackend()) && Objects.equals(a.modelRef(), b.modelRef())
                && Objects.equals(a.params(), b.params()) && Objects.equals(a.preferredNode(), b.preferredNode())
                && Objects.equals(a.versionLabel(), b.versionLabel());
    }

    private static SpindleError notFound(String id) {
        return SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "no config '" + id + "'", Map.of("config_id", id));
    }
}
