package io.spindle.node.alias;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasChange;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.gate.Verdict;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AliasEntity journaled by the Mongo plugin on the real embedded Mongo-wire server, across an actor-system restart. */
class AliasEntityTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final AliasTarget ESPEAK = new AliasTarget("tts-espeak", 1);
    private static final AliasTarget FLITE = new AliasTarget("tts-flite", 2);
    private static final PromotionEvidence PASSED = new PromotionEvidence("exp-1", "tts-quality", Verdict.PASS, "flite");
    private static final PromotionEvidence FAILED = new PromotionEvidence("exp-2", "tts-quality", Verdict.FAIL, "flite");

    /** Every reading of the clock is a minute after the last, so each change has its own time. */
    private static final class MinuteClock extends Clock {
        private final AtomicReference<Instant> next = new AtomicReference<>(T0);

        @Override
        public Instant instant() {
            return next.getAndUpdate(t -> t.plus(Duration.ofMinutes(1)));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static Config config(String database) {
        return ConfigFactory.parseString("""
                spindle.mongo.uri = "%s"
                spindle.mongo.database = "%s"
                pekko.persistence.journal.plugin = "spindle.persistence.journal"
                pekko.persistence.snapshot-store.plugin = "spindle.persistence.snapshot"
                pekko.actor.serialize-messages = on
                """.formatted(MONGO.uri(), database)).withFallback(ConfigFactory.load()).resolve();
    }

    private static AliasReply ask(ActorTestKit kit, ActorRef<AliasEntity.Command> alias, Function<ActorRef<AliasReply>, AliasEntity.Command> command) {
        TestProbe<AliasReply> probe = kit.createTestProbe();
        alias.tell(command.apply(probe.ref()));
        return probe.receiveMessage(TIMEOUT);
    }

    @Test
    void promotionNeedsAPassingGateOrAForceAndRollbackReturnsToThePreviousTarget() {
        String database = MongoServerExtension.freshDatabaseName();
        Clock clock = new MinuteClock();
        ActorTestKit kit = ActorTestKit.create("AliasEntityTest", config(database));
        try {
            ActorRef<AliasEntity.Command> alias = kit.spawn(AliasEntity.create("tts-prod", clock));
            Alias created = ask(kit, alias, r -> new AliasEntity.Create(ESPEAK, "ana", "first voice", r)).orThrow();
            assertEquals(ESPEAK, created.target());

            AliasReply refused = ask(kit, alias, r -> new AliasEntity.Promote(FLITE, FAILED, false, "ana", "try", r));
            assertEquals(ErrorCode.GATE_NOT_PASSED, assertInstanceOf(AliasReply.Rejected.class, refused).error().code());
            AliasReply uncited = ask(kit, alias, r -> new AliasEntity.Promote(FLITE, null, false, "ana", "no evidence", r));
            assertEquals(ErrorCode.GATE_NOT_PASSED, assertInstanceOf(AliasReply.Rejected.class, uncited).error().code());

            Alias promoted = ask(kit, alias, r -> new AliasEntity.Promote(FLITE, PASSED, false, "ben", "gate passed", r)).orThrow();
            assertEquals(FLITE, promoted.target());
            Alias back = ask(kit, alias, r -> new AliasEntity.Rollback("ben", "complaints", r)).orThrow();
            assertEquals(ESPEAK, back.target());
            AliasReply nothingEarlier = ask(kit, alias, r -> new AliasEntity.Rollback("ben", "again", r));
            assertEquals(ErrorCode.INVALID_STATE, assertInstanceOf(AliasReply.Rejected.class, nothingEarlier).error().code());

            Alias forced = ask(kit, alias, r -> new AliasEntity.Promote(FLITE, FAILED, true, "cy", "hotfix", r)).orThrow();
            assertTrue(forced.history().get(forced.history().size() - 1).forced());
            AliasReply taken = ask(kit, alias, r -> new AliasEntity.Create(FLITE, "dee", "again", r));
            assertEquals(ErrorCode.ALREADY_EXISTS, assertInstanceOf(AliasReply.Rejected.class, taken).error().code());
        } finally {
            kit.shutdownTestKit();
        }

        // A new actor system recovers the whole history from the journal.
        ActorTestKit after = ActorTestKit.create("AliasEntityTestAfter", config(database));
        try {
            ActorRef<AliasEntity.Command> alias = after.spawn(AliasEntity.create("tts-prod", clock));
            Alias recovered = ask(after, alias, AliasEntity.Get::new).orThrow();
            List<String> kinds = recovered.history().stream().map(AliasChange::kind).toList();
            assertEquals(List.of("created", "promoted", "rolled_back", "promoted"), kinds);
            AliasChange promotion = recovered.history().get(1);
            assertEquals(List.of("ben", "gate passed"), List.of(promotion.actor(), promotion.reason()));
            assertEquals(PASSED, promotion.evidence());
            assertEquals(ESPEAK, promotion.from());
            // What served the alias at each moment: created at T0, promoted at T0+3m, rolled back at T0+4m.
            assertEquals(Optional.empty(), recovered.targetAt(T0.minusSeconds(1)));
            assertEquals(Optional.of(ESPEAK), recovered.targetAt(T0.plus(Duration.ofMinutes(2))));
            assertEquals(Optional.of(FLITE), recovered.targetAt(promotion.at().plusSeconds(30)));
            assertEquals(Optional.of(ESPEAK), recovered.targetAt(recovered.history().get(2).at()));
            assertEquals(FLITE, recovered.target());
        } finally {
            after.shutdownTestKit();
        }
    }

    @Test
    void anUnknownAliasIsNotFound() {
        ActorTestKit kit = ActorTestKit.create("AliasEntityMissing", config(MongoServerExtension.freshDatabaseName()));
        try {
            ActorRef<AliasEntity.Command> alias = kit.spawn(AliasEntity.create("nobody", Clock.systemUTC()));
            AliasReply reply = ask(kit, alias, AliasEntity.Get::new);
            assertEquals(ErrorCode.ALIAS_NOT_FOUND, assertInstanceOf(AliasReply.Rejected.class, reply).error().code());
        } finally {
            kit.shutdownTestKit();
        }
    }
}
