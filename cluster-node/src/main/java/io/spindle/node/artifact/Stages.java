package io.spindle.node.artifact;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Moves Pekko's stages into plain {@link CompletableFuture}s. The stages Pekko's Java API returns
 * wrap Scala futures and run every non-async callback ({@code thenApply}, {@code handle}…) through
 * {@code ForkJoinPool.commonPool()}, which on a machine with two cores means a new thread per
 * callback. A plain future runs our short, non-blocking callbacks where the stage completes.
 */
final class Stages {
    private static final Executor SAME_THREAD = Runnable::run;

    private Stages() {}

    static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync((value, failure) -> {
            if (failure != null) {
                plain.completeExceptionally(failure);
            } else {
                plain.complete(value);
            }
        }, SAME_THREAD);
        return plain;
    }
}
