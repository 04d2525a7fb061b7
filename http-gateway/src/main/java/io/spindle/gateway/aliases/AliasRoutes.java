package io.spindle.gateway.aliases;

import static io.spindle.gateway.http.Replies.created;
import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;

import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.gateway.journal.TaggedEntities;
import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasEvent;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.ConfigIds;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.alias.AliasEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Aliases: list them, create one on a config version, read it, promote it (only on a passing gate, or forced), roll it back,
 * and read its history or what it served at a time. Targets are checked against the registry and pinned to a version.
 */
public final class AliasRoutes {
    /** Who changed an alias when the caller does not say: the API knows tokens, not people. */
    public static final String DEFAULT_ACTOR = "api";
    private static final String AT = "at";

    private final AliasEntities aliases;
    private final ConfigRegistry registry;
    private final PromotionJudge judge;
    private final RequestBodies bodies;
    private final TaggedEntities journal;

    public AliasRoutes(AliasEntities aliases, ConfigRegistry registry, PromotionJudge judge, RequestBodies bodies, TaggedEntities journal) {
        this.aliases = aliases;
        this.registry = registry;
        this.judge = judge;
        this.bodies = bodies;
        this.journal = journal;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/aliases", p -> QueryParams.none(() -> respond(list().thenApply(l -> ok(l))))),
                Endpoint.get("/aliases/{name}", p -> QueryParams.none(() -> respond(aliases.get(p.get("name")).thenApply(a -> ok(a))))),
                Endpoint.put("/aliases/{name}", p -> create(p.get("name"))),
                Endpoint.post("/aliases/{name}/promote", p -> promote(p.get("name"))),
                Endpoint.post("/aliases/{name}/rollback", p -> rollback(p.get("name"))),
                Endpoint.get("/aliases/{name}/history", p -> history(p.get("name"))));
    }

    /** Every alias the journal holds, each read from its entity. */
    private CompletionStage<AliasList> list() {
        return journal.ids(AliasEvent.TAG, AliasEntity.PERSISTENCE_ID_PREFIX,
                        event -> event instanceof AliasEvent.Created c ? c.at() : null)
                .thenCompose(names -> {
                    List<CompletableFuture<Alias>> each = names.stream().map(n -> aliases.get(n).toCompletableFuture()).toList();
                    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                            .thenApply(done -> AliasList.of(each.stream().map(CompletableFuture::join).toList()));
                });
    }

    private Route create(String name) {
        return bodies.json(AliasPut.class, body -> {
            String problem = ConfigIds.problem(name);
            if (problem != null) {
                throw new ValidationException("name", problem);
            }
            return respond(target(body.configId(), body.version())
                    .thenCompose(target -> aliases.create(name, target, actor(body.actor()), body.reason()))
                    .thenApply(alias -> created("/aliases/" + name, alias)));
        });
    }

    private Route promote(String name) {
        return bodies.json(AliasPromote.class, body -> {
            boolean force = Boolean.TRUE.equals(body.force());
            if (!force && (body.experiment() == null || body.gate() == null)) {
                throw new ValidationException("experiment", "a promotion cites an experiment and a gate (or is forced: \"force\": true)");
            }
            return respond(aliases.get(name)
                    .thenCompose(current -> target(body.configId(), body.version()))
                    .thenCompose(target -> evidence(body, target).thenCompose(evidence ->
                            aliases.promote(name, target, evidence, force, actor(body.actor()), body.reason())))
                    .thenApply(alias -> ok(alias)));
        });
    }

    private CompletionStage<PromotionEvidence> evidence(AliasPromote body, AliasTarget target) {
        if (body.experiment() == null || body.gate() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return judge.judge(body.experiment(), body.gate(), body.candidateArm(), target);
    }

    private Route rollback(String name) {
        return bodies.optionalJson(AliasRollback.class, body -> {
            AliasRollback b = body.orElse(new AliasRollback(null, null));
            return respond(aliases.rollback(name, actor(b.actor()), b.reason()).thenApply(alias -> ok(alias)));
        });
    }

    private Route history(String name) {
        return parameterMultiMap(raw -> {
            QueryParams params = QueryParams.of(raw, Set.of(AT));
            Optional<Instant> at = params.instant(AT);
            params.throwIfAny();
            return respond(aliases.get(name).thenApply(alias -> ok(new AliasHistoryView(alias.name(), alias.target(),
                    at.orElse(null), at.flatMap(alias::targetAt).orElse(null), alias.history()))));
        });
    }

    /** The config version a target names: {@code version}, or the config's latest; 404 when either is missing. */
    private CompletionStage<AliasTarget> target(String configId, Integer version) {
        if (configId == null || ConfigIds.problem(configId) != null) {
            throw new ValidationException("config_id", configId == null ? "is required" : ConfigIds.problem(configId));
        }
        return registry.configVersions(configId).thenApply(versions -> {
            if (versions.isEmpty()) {
                throw new SpindleException(SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "no config '" + configId + "'",
                        Map.of("config_id", configId)));
            }
            ModelConfig chosen = version == null ? versions.get(versions.size() - 1)
                    : versions.stream().filter(v -> v.version() == version).findFirst().orElseThrow(() -> new SpindleException(
                            SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "config '" + configId + "' has no version " + version,
                                    Map.of("config_id", configId, "version", version))));
            return new AliasTarget(chosen.id(), chosen.version());
        });
    }

    private static String actor(String given) {
        return given == null || given.isBlank() ? DEFAULT_ACTOR : given;
    }
}
