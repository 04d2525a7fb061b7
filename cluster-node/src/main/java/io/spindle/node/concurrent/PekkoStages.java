package io.spindle.node.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Moves the stages Pekko's Java API returns (asks, stream materializations, bindings, termination) into plain
 * {@link CompletableFuture}s before anything is chained on them. Those stages wrap Scala futures and run every
 * non-async callback ({@code thenApply}, {@code handle}, and so {@code pipeToSelf}) as an async one on
 * {@code ForkJoinPool.commonPool()} — which on two cores has one thread, and CompletableFuture then starts a new
 * thread per callback. A plain future runs our short, non-blocking callbacks on the thread that completes the
 * stage (a Pekko dispatcher thread), whatever the machine or the JVM flags. ExecutorUsageTest checks that every
 * such stage goes through here.
 */
public final class PekkoStages {
    private static final Executor SAME_THREAD = Runnable::run;

    private PekkoStages() {}

    public static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
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
