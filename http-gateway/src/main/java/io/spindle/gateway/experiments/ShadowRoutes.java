package io.spindle.gateway.experiments;

import static io.spindle.gateway.http.Replies.created;
import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;

import io.spindle.gateway.aliases.AliasEntities;
import io.spindle.gateway.aliases.AliasRoutes;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.model.alias.AliasChange;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.experiment.ArmConfig;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.ShadowSpec;
import io.spindle.model.validation.ValidationException;
import java.util.List;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * An alias's shadow: {@code POST /aliases/{name}/shadow} creates the rolling experiment (one candidate arm,
 * {@code shadow}, the gate's definition copied in) and starts mirroring; {@code POST /aliases/{name}/shadow/stop}
 * stops both. The experiment is named {@code shadow-<alias>-<n>}, n the alias's history length, so a repeated start
 * names the same one.
 */
public final class ShadowRoutes {
    private final AliasEntities aliases;
    private final ExperimentGateways experiments;
    private final ExperimentRoutes specs;
    private final RequestBodies bodies;

    public ShadowRoutes(AliasEntities aliases, ExperimentGateways experiments, ExperimentRoutes specs, RequestBodies bodies) {
        this.aliases = aliases;
        this.experiments = experiments;
        this.specs = specs;
        this.bodies = bodies;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.post("/aliases/{name}/shadow", p -> start(p.get("name"))),
                Endpoint.post("/aliases/{name}/shadow/stop", p -> stop(p.get("name"))));
    }

    private Route start(String name) {
        return bodies.json(ShadowStart.class, body -> {
            int percent = body.percent() == null ? 0 : body.percent();
            if (percent < 1 || percent > ShadowConfig.MAX_PERCENT) {
                throw new ValidationException("percent", "must be 1 to " + ShadowConfig.MAX_PERCENT + " (the share of live jobs mirrored)");
            }
            if (body.gate() == null || body.configId() == null) {
                throw new ValidationException(body.gate() == null ? "gate" : "config_id", "is required");
            }
            ExperimentRoutes.checkScorers(body.scorers() == null ? List.of() : body.scorers());
            return respond(aliases.get(name).thenCompose(alias -> experiments.gate(body.gate()).thenCompose(gate -> {
                String id = "shadow-" + name + "-" + alias.history().size();
                ExperimentSpec spec = new ExperimentSpec(id, "shadow of alias " + name, null, false,
                        List.of(new ArmConfig(AliasChange.SHADOW_ARM, body.configId(), body.version())), 1, body.scorers(), body.budget(), null,
                        new ShadowSpec(name, gate, percent));
                return specs.pinned(spec).thenCompose(pinned -> experiments.create(pinned, List.of())).thenCompose(e -> {
                    ArmConfig arm = e.spec().candidates().get(0);
                    ShadowConfig shadow = new ShadowConfig(new AliasTarget(arm.configId(), arm.version()), percent, e.id(), gate.name());
                    return aliases.startShadow(name, shadow, actor(body.actor()), body.reason());
                });
            })).thenApply(alias -> created("/aliases/" + name, alias)));
        });
    }

    private Route stop(String name) {
        return bodies.optionalJson(io.spindle.gateway.aliases.AliasRollback.class, body -> {
            String actor = actor(body.map(b -> b.actor()).orElse(null));
            String reason = body.map(b -> b.reason()).orElse(null);
            return respond(aliases.get(name).thenCompose(alias -> {
                if (alias.shadow() == null) {
                    return java.util.concurrent.CompletableFuture.completedFuture(alias);
                }
                String experiment = alias.shadow().experiment();
                return aliases.stopShadow(name, actor, reason)
                        .thenCompose(stopped -> experiments.stopShadow(experiment, "stopped by " + actor).thenApply(e -> stopped));
            }).thenApply(alias -> ok(alias)));
        });
    }

    private static String actor(String given) {
        return given == null || given.isBlank() ? AliasRoutes.DEFAULT_ACTOR : given;
    }
}
