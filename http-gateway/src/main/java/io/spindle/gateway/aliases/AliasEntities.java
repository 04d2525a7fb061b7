package io.spindle.gateway.aliases;

import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.ConfigIds;
import io.spindle.node.alias.AliasEntity;
import io.spindle.node.alias.AliasReply;
import io.spindle.node.concurrent.PekkoStages;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** The gateway's asks to sharded AliasEntities; a name that cannot be an alias is not found without starting one. */
public final class AliasEntities {
    private final ActorSystem<?> system;
    private final Duration askTimeout;

    public AliasEntities(ActorSystem<?> system, Duration askTimeout) {
        this.system = system;
        this.askTimeout = askTimeout;
    }

    public CompletionStage<Alias> get(String name) {
        return ask(name, AliasEntity.Get::new);
    }

    public CompletionStage<Alias> create(String name, AliasTarget target, String actor, String reason) {
        return ask(name, r -> new AliasEntity.Create(target, actor, reason, r));
    }

    public CompletionStage<Alias> promote(String name, AliasTarget target, PromotionEvidence evidence, boolean force, String actor,
                                          String reason) {
        return ask(name, r -> new AliasEntity.Promote(target, evidence, force, actor, reason, r));
    }

    public CompletionStage<Alias> rollback(String name, String actor, String reason) {
        return ask(name, r -> new AliasEntity.Rollback(actor, reason, r));
    }

    public CompletionStage<Alias> startShadow(String name, ShadowConfig shadow, String actor, String reason) {
        return ask(name, r -> new AliasEntity.StartShadow(shadow, actor, reason, r));
    }

    public CompletionStage<Alias> stopShadow(String name, String actor, String reason) {
        return ask(name, r -> new AliasEntity.StopShadow(null, null, actor, reason, r));
    }

    public static SpindleError notFound(String name) {
        return SpindleError.of(ErrorCode.ALIAS_NOT_FOUND, "no alias '" + name + "'", Map.of("alias", String.valueOf(name)));
    }

    private CompletionStage<Alias> ask(String name, Function<ActorRef<AliasReply>, AliasEntity.Command> command) {
        if (ConfigIds.problem(name) != null) {
            return CompletableFuture.failedFuture(new SpindleException(notFound(name)));
        }
        return PekkoStages.direct(AliasEntity.entityRef(system, name).ask(command::apply, askTimeout)).thenApply(AliasReply::orThrow);
    }
}
