package io.spindle.node.experiment;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.gate.Gate;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A named gate, event-sourced so every definition it ever had stays in the journal (a promotion cites the gate by
 * name; its history says what that name meant then). Saving replaces the definition.
 */
public final class GateEntity extends EventSourcedBehaviorWithEnforcedReplies<GateEntity.Command, GateEntity.Saved, GateEntity.State> {
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Gate");

    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    public static EntityRef<Command> entityRef(ActorSystem<?> system, String name) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, name);
    }

    public static Behavior<Command> create(String name) {
        return new GateEntity(name);
    }

    public sealed interface Command {}

    public record Save(Gate gate, ActorRef<Reply> replyTo) implements Command {}

    public record Get(ActorRef<Reply> replyTo) implements Command {}

    /** The gate, or null with an error. */
    public record Reply(Gate gate, SpindleError error) {}

    public record Saved(Gate gate) {}

    public record State(Gate gate) {}

    private final String name;

    private GateEntity(String name) {
        super(PersistenceId.of("gate", name));
        this.name = name;
    }

    @Override
    public State emptyState() {
        return new State(null);
    }

    @Override
    public EventHandler<State, Saved> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> new State(e.gate()));
    }

    @Override
    public CommandHandlerWithReply<Command, Saved, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Save.class, (s, c) -> s.gate() != null && s.gate().equals(c.gate())
                        ? Effect().reply(c.replyTo(), new Reply(s.gate(), null))
                        : Effect().persist(new Saved(c.gate())).thenReply(c.replyTo(), st -> new Reply(st.gate(), null)))
                .onCommand(Get.class, (s, c) -> reply(s, c.replyTo()))
                .build();
    }

    private ReplyEffect<Saved, State> reply(State s, ActorRef<Reply> replyTo) {
        return Effect().reply(replyTo, s.gate() != null ? new Reply(s.gate(), null)
                : new Reply(null, SpindleError.of(ErrorCode.GATE_NOT_FOUND, "no gate '" + name + "'", Map.of("gate", name))));
    }
}
