package io.spindle.node.alias;

import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasEvent;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.gate.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alias (e.g. {@code tts-prod}): a sharded, event-sourced pointer to a config version, the single writer of its
 * history. A promotion is refused unless the gate it cites passed, or it is forced (and then recorded as forced);
 * a rollback returns to the target before the current one. The gateway evaluates the gate and resolves versions;
 * the entity enforces the rule and keeps the record (docs/decisions/0020-aliases.md).
 */
public final class AliasEntity extends EventSourcedBehaviorWithEnforcedReplies<AliasEntity.Command, AliasEvent, AliasEntity.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Alias");
    /** Journal persistence ids are {@code alias|<name>}. */
    public static final String PERSISTENCE_ID_PREFIX = "alias";
    private static final Logger log = LoggerFactory.getLogger(AliasEntity.class);
    private static final Set<String> TAGS = Set.of(AliasEvent.TAG);

    public static void init(ActorSystem<?> system) {
        init(system, Clock.systemUTC());
    }

    public static void init(ActorSystem<?> system, Clock clock) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock)));
    }

    public static EntityRef<Command> entityRef(ActorSystem<?> system, String name) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, name);
    }

    public static Behavior<Command> create(String name, Clock clock) {
        return new AliasEntity(name, clock);
    }

    public static PersistenceId persistenceId(String name) {
        return PersistenceId.of(PERSISTENCE_ID_PREFIX, name);
    }

    // ---- commands ----------------------------------------------------------------------------

    public sealed interface Command {}

    /** Creates the alias pointing at {@code target}; repeating it with the same target is accepted, another is refused. */
    public record Create(AliasTarget target, String actor, String reason, ActorRef<AliasReply> replyTo) implements Command {}

    /**
     * Moves the alias to {@code target}, citing {@code evidence}. Refused unless the evidence's verdict is pass, or
     * {@code force} (recorded). Promoting to the current target changes nothing.
     */
    public record Promote(AliasTarget target, PromotionEvidence evidence, boolean force, String actor, String reason,
                          ActorRef<AliasReply> replyTo) implements Command {}

    /** Back to the previous target; refused when there is none. */
    public record Rollback(String actor, String reason, ActorRef<AliasReply> replyTo) implements Command {}

    public record Get(ActorRef<AliasReply> replyTo) implements Command {}

    /** Starts mirroring live jobs as {@code shadow} says; refused while another shadow runs (stop it first). */
    public record StartShadow(ShadowConfig shadow, String actor, String reason, ActorRef<AliasReply> replyTo) implements Command {}

    /**
     * Stops the shadow of {@code experiment} (null: whichever runs), with the verdict that stopped it (null: a caller did);
     * stopping a shadow that no longer runs changes nothing, so the experiment may repeat it.
     */
    public record StopShadow(String experiment, Verdict verdict, String actor, String reason, ActorRef<AliasReply> replyTo)
            implements Command {}

    // ---- state -------------------------------------------------------------------------------

    /** {@code alias} is null until the alias is created. */
    public record State(Alias alias) {
        public static final State EMPTY = new State(null);

        public State apply(AliasEvent event) {
            if (event instanceof AliasEvent.Created c) {
                return new State(Alias.created(c));
            }
            return new State(alias.apply(event));
        }
    }

    // ---- the entity --------------------------------------------------------------------------

    private final String name;
    private final Clock clock;

    private AliasEntity(String name, Clock clock) {
        super(persistenceId(name));
        this.name = name;
        this.clock = clock;
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public Set<String> tagsFor(AliasEvent event) {
        return TAGS;
    }

    @Override
    public EventHandler<State, AliasEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, AliasEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Promote.class, this::onPromote)
                .onCommand(Rollback.class, this::onRollback)
                .onCommand(StartShadow.class, this::onStartShadow)
                .onCommand(StopShadow.class, this::onStopShadow)
                .onCommand(Get.class, (s, c) -> s.alias() == null ? notFound(c.replyTo()) : Effect().reply(c.replyTo(), new AliasReply.Accepted(s.alias())))
                .build();
    }

    private ReplyEffect<AliasEvent, State> onCreate(State s, Create c) {
        if (s.alias() != null) {
            if (s.alias().history().size() == 1 && s.alias().target().equals(c.target())) {
                return Effect().reply(c.replyTo(), new AliasReply.Accepted(s.alias())); // a repeated create
            }
            return reject(c.replyTo(), ErrorCode.ALREADY_EXISTS, "alias '" + name + "' exists and points at " + s.alias().target()
                    + "; move it with POST /aliases/" + name + "/promote", Map.of("alias", name, "target", s.alias().target().toString()));
        }
        return persist(new AliasEvent.Created(name, c.target(), c.actor(), c.reason(), now()), c.replyTo());
    }

    private ReplyEffect<AliasEvent, State> onPromote(State s, Promote c) {
        if (s.alias() == null) {
            return notFound(c.replyTo());
        }
        Verdict verdict = c.evidence() == null ? null : c.evidence().verdict();
        if (verdict != Verdict.PASS && !c.force()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("alias", name);
            details.put("verdict", verdict == null ? "none" : verdict.wireName());
            return reject(c.replyTo(), ErrorCode.GATE_NOT_PASSED, "alias '" + name + "' was not promoted to " + c.target()
                    + ": the gate's verdict is " + (verdict == null ? "missing (cite an experiment and a gate)" : verdict.wireName())
                    + "; only a pass promotes, unless forced", details);
        }
        if (s.alias().target().equals(c.target())) {
            return Effect().reply(c.replyTo(), new AliasReply.Accepted(s.alias()));
        }
        boolean forced = verdict != Verdict.PASS;
        return persist(new AliasEvent.Promoted(name, s.alias().target(), c.target(), c.evidence(), forced, c.actor(), c.reason(), now()),
                c.replyTo());
    }

    private ReplyEffect<AliasEvent, State> onRollback(State s, Rollback c) {
        if (s.alias() == null) {
            return notFound(c.replyTo());
        }
        return s.alias().rollbackTarget()
                .map(to -> persist(new AliasEvent.RolledBack(name, s.alias().target(), to, c.actor(), c.reason(), now()), c.replyTo()))
                .orElseGet(() -> reject(c.replyTo(), ErrorCode.INVALID_STATE, "alias '" + name + "' has no earlier target to roll back to",
                        Map.of("alias", name)));
    }

    private ReplyEffect<AliasEvent, State> onStartShadow(State s, StartShadow c) {
        if (s.alias() == null) {
            return notFound(c.replyTo());
        }
        ShadowConfig running = s.alias().shadow();
        if (running != null) {
            return running.equals(c.shadow()) ? Effect().reply(c.replyTo(), new AliasReply.Accepted(s.alias()))
                    : reject(c.replyTo(), ErrorCode.INVALID_STATE, "alias '" + name + "' already shadows " + running.candidate()
                            + " (experiment " + running.experiment() + "); stop it first", Map.of("alias", name, "experiment", running.experiment()));
        }
        return persist(new AliasEvent.ShadowStarted(name, s.alias().target(), c.shadow(), c.actor(), c.reason(), now()), c.replyTo());
    }

    private ReplyEffect<AliasEvent, State> onStopShadow(State s, StopShadow c) {
        if (s.alias() == null) {
            return notFound(c.replyTo());
        }
        ShadowConfig running = s.alias().shadow();
        if (running == null || (c.experiment() != null && !c.experiment().equals(running.experiment()))) {
            return Effect().reply(c.replyTo(), new AliasReply.Accepted(s.alias()));
        }
        return persist(new AliasEvent.ShadowStopped(name, s.alias().target(), running, c.verdict(), c.actor(), c.reason(), now()),
                c.replyTo());
    }

    private ReplyEffect<AliasEvent, State> persist(AliasEvent event, ActorRef<AliasReply> replyTo) {
        return Effect().persist(event).thenRun((State s) -> log.info("Alias {}: {} -> {} by {} ({})", name,
                        event.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), event.to(), event.actor(), event.reason()))
                .thenReply(replyTo, s -> new AliasReply.Accepted(s.alias()));
    }

    private ReplyEffect<AliasEvent, State> notFound(ActorRef<AliasReply> replyTo) {
        return reject(replyTo, ErrorCode.ALIAS_NOT_FOUND, "no alias '" + name + "'", Map.of("alias", name));
    }

    private ReplyEffect<AliasEvent, State> reject(ActorRef<AliasReply> replyTo, ErrorCode code, String message, Map<String, Object> details) {
        return Effect().reply(replyTo, new AliasReply.Rejected(SpindleError.of(code, message, details)));
    }

    private Instant now() {
        return clock.instant();
    }
}
