package io.spindle.node.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Callbacks on an ask's answer run on the dispatcher thread that answered, not on the common pool. */
class PekkoStagesTest {
    private static final ActorTestKit kit = ActorTestKit.create("PekkoStagesTest");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Holds the asker until released, so callbacks are registered before the answer arrives. */
    private sealed interface Held {}

    private record Ask(ActorRef<String> replyTo) implements Held {}

    private enum Release implements Held { INSTANCE }

    private static Behavior<Held> holder(ActorRef<String> waiting) {
        return Behaviors.receiveMessage(m -> {
            if (m instanceof Ask a) {
                return holder(a.replyTo());
            }
            waiting.tell("answer");
            return holder(null);
        });
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void callbacksOnADirectStageRunOnTheThreadThatAnswered() throws Exception {
        // Two asks, not two callbacks on one: a common-pool thread that ran a plain callback on a stage goes on to run
        // that stage's other pending callbacks, the direct one included, which would make this test race.
        ActorRef<Held> forDirect = kit.spawn(holder(null));
        ActorRef<Held> forPlain = kit.spawn(holder(null));
        CompletableFuture<String> direct = PekkoStages.direct(AskPattern.<Held, String>ask(forDirect, Ask::new, TIMEOUT, kit.scheduler()))
                .thenApply(answer -> Thread.currentThread().getName());
        CompletionStage<String> plain = AskPattern.<Held, String>ask(forPlain, Ask::new, TIMEOUT, kit.scheduler())
                .thenApply(answer -> Thread.currentThread().getName());

        forDirect.tell(Release.INSTANCE);
        forPlain.tell(Release.INSTANCE);

        String dispatcher = direct.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(dispatcher.startsWith("PekkoStagesTest-pekko.actor.default-dispatcher"), dispatcher);
        // Why the helper exists: Pekko's own stage runs even thenApply on the common pool (a new thread on 2 cores).
        String viaPekko = plain.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(viaPekko.startsWith("PekkoStagesTest-pekko"), viaPekko);
    }

    @Test
    void aFailureIsPassedOnUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");

        Throwable seen = PekkoStages.direct(CompletableFuture.<String>failedFuture(boom)).handle((v, f) -> f).join();

        assertEquals(boom, seen);
    }
}
