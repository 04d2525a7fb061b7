package io.spindle.node.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterShardingHealthCheck;
import scala.jdk.javaapi.FutureConverters;

/**
 * Whether this node's shard regions have registered with their coordinators (Pekko's
 * {@link ClusterShardingHealthCheck} over {@code pekko.cluster.sharding.healthcheck.names}). Until then the node
 * cannot route a message to any entity: a request that reaches it waits for the coordinator, which after a cold
 * start of the cluster first reads its state from every node. So a node says it is ready only once registered, as
 * a readiness probe in front of it would ask. Once registered the check stays true for the node's life, so a later
 * coordinator move does not make every node unready at once.
 */
public final class ShardingReadiness {
    private static final Duration POLL = Duration.ofMillis(100);

    private final ClusterShardingHealthCheck check;

    public ShardingReadiness(ActorSystem<?> system) {
        this.check = new ClusterShardingHealthCheck(Adapter.toClassic(system));
    }

    /** Completes with true once every checked region has registered with its coordinator (false: one has not started). */
    public CompletionStage<Boolean> registered() {
        try {
            return FutureConverters.asJava(check.apply()).thenApply(registered -> (Boolean) registered);
        } catch (IllegalStateException regionNotStarted) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Waits up to {@code timeout} for {@link #registered}; false when it is not true by then. */
    public boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                if (registered().toCompletableFuture().get(left, TimeUnit.NANOSECONDS)) {
                    return true;
                }
                Thread.sleep(POLL.toMillis());
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // The region did not answer within the check's own timeout: ask again until ours runs out.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the shard coordinators", e);
            }
        }
    }
}
