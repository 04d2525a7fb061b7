package io.spindle.gateway.health;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One backend {@code GET /ready} checks (MongoDB, Redis, the artifact store, …): the stage completes
 * when the backend answered, and fails (or does not complete in time) when it cannot be reached.
 * {@link BackendChecks} has the ones Spindle's backends need.
 */
public interface BackendCheck {

    /** Short name shown in the readiness answer, e.g. {@code mongo}. */
    String name();

    CompletionStage<Void> check();

    /** A check that succeeds when {@code probe}'s stage completes normally, whatever its value. */
    static BackendCheck of(String name, Supplier<? extends CompletionStage<?>> probe) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(probe, "probe");
        return new BackendCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletionStage<Void> check() {
                return probe.get().thenApply(ignored -> null);
            }

            @Override
            public String toString() {
                return "BackendCheck(" + name + ")";
            }
        };
    }
}
