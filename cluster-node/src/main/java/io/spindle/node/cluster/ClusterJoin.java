package io.spindle.node.cluster;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a starting node becomes a cluster member: it joins the seed nodes, or itself when there are none (a one-node
 * cluster), and waits until it is Up. With seed nodes it waits up to {@code spindle.boot.join-timeout} (off: for
 * ever), since Pekko retries the seeds until one answers: nodes may start in any order, and a node whose seeds are
 * all down waits for them to come back, saying so every {@code spindle.boot.join-report-interval}.
 */
public final class ClusterJoin {
    private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String JOIN_TIMEOUT = "spindle.boot.join-timeout";

    private ClusterJoin() {}

    /**
     * Returns once {@code system}'s node is Up.
     *
     * @param alone how long a node without seed nodes may take to join itself
     * @throws IllegalStateException when the system stops meanwhile or the wait times out
     */
    public static void await(ActorSystem<?> system, Config config, String nodeName, Duration alone) {
        Cluster cluster = Cluster.get(system);
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        if (seeds.isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        Duration timeout = seeds.isEmpty() ? alone : joinTimeout(config);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Duration reportEvery = config.getDuration("spindle.boot.join-report-interval");
        long nextReport = System.nanoTime() + reportEvery.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (system.whenTerminated().isCompleted()) {
                throw new IllegalStateException("node " + nodeName + " stopped while joining the cluster");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("node " + nodeName + " did not join the cluster within " + timeout
                        + " (seed nodes " + seeds + ")");
            }
            if (System.nanoTime() - nextReport > 0) {
                log.info("Node {} is still waiting for a seed node to answer: {}", nodeName, seeds);
                nextReport = System.nanoTime() + reportEvery.toNanos();
            }
            sleep(POLL);
        }
    }

    /** {@code spindle.boot.join-timeout}, or null when it is off (wait for the seed nodes for ever). */
    private static Duration joinTimeout(Config config) {
        return "off".equals(config.getValue(JOIN_TIMEOUT).unwrapped().toString()) ? null : config.getDuration(JOIN_TIMEOUT);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the cluster", e);
        }
    }
}
