package io.spindle.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a starting node becomes a cluster member: it joins the seed nodes, or itself when there are none (a one-node
 * cluster), and waits until it is Up. With seed nodes it waits up to {@code spindle.boot.join-timeout} (off: for
 * ever), since Pekko retries the seeds until one answers: nodes may start in any order, and a node whose seeds are
 * all down waits for them to come back, saying so every {@code spindle.boot.join-report-interval}.
 *
 * <p>The first seed node is the one that may form a new cluster, which Pekko lets it do when no other seed answers
 * within {@code seed-node-timeout}. A restarted first seed whose cluster lives on (its other nodes slow to answer
 * under load, or only non-seed nodes left) would so start a second cluster on the same stores. So the node joins
 * the seeds itself (the actor system starts with none, {@link #withoutAutomaticJoin}), and a first seed first asks
 * the {@link MemberRoster}: while other members are alive it joins them and never itself, until they are all gone.
 */
public final class ClusterJoin {
    private static final Logger log = LoggerFactory.getLogger(ClusterJoin.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String JOIN_TIMEOUT = "spindle.boot.join-timeout";
    private static final String SEED_NODES = "pekko.cluster.seed-nodes";

    private ClusterJoin() {}

    /** The actor system's config: no seed nodes, so Pekko does not join them before {@link #await} decides how. */
    public static Config withoutAutomaticJoin(Config config) {
        return config.withValue(SEED_NODES, ConfigValueFactory.fromIterable(List.of()));
    }

    /**
     * Joins as configured by {@code config} (the node's config, with its seed nodes) and returns once
     * {@code system}'s node is Up.
     *
     * @param alone how long a node without seed nodes may take to join itself
     * @param roster the members alive in the cluster, asked by a first seed node before it may join itself
     * @param rosterSettings how often to ask it again while waiting, and how long to wait for an answer
     * @throws IllegalStateException when the system stops meanwhile or the wait times out
     */
    public static void await(ActorSystem<?> system, Config config, String nodeName, Duration alone, MemberRoster roster,
            RosterSettings rosterSettings) {
        Cluster cluster = Cluster.get(system);
        Address self = cluster.selfMember().address();
        List<Address> seeds = config.getStringList(SEED_NODES).stream().map(AddressFromURIString::parse).toList();
        boolean firstSeed = !seeds.isEmpty() && seeds.get(0).equals(self);
        List<String> othersAlive = firstSeed ? othersAlive(roster, self, rosterSettings, nodeName) : List.of();
        if (seeds.isEmpty()) {
            cluster.manager().tell(Join.create(self));
        } else if (!othersAlive.isEmpty()) {
            log.info("Node {} is the first seed node, but members of its cluster are alive {}: it joins them, and forms no"
                    + " new cluster while any is", nodeName, othersAlive);
            cluster.manager().tell(new JoinSeedNodes(othersThenSeeds(othersAlive, seeds, self)));
        } else {
            cluster.manager().tell(new JoinSeedNodes(seeds));
        }
        boolean waitingForOthers = !othersAlive.isEmpty();
        Duration timeout = seeds.isEmpty() ? alone : joinTimeout(config);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Duration reportEvery = config.getDuration("spindle.boot.join-report-interval");
        long nextReport = System.nanoTime() + reportEvery.toNanos();
        long nextRosterCheck = System.nanoTime() + rosterSettings.interval().toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (system.whenTerminated().isCompleted()) {
                throw new IllegalStateException("node " + nodeName + " stopped while joining the cluster");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("node " + nodeName + " did not join the cluster within " + timeout
                        + " (seed nodes " + seeds + ")");
            }
            if (waitingForOthers && System.nanoTime() - nextRosterCheck > 0) {
                nextRosterCheck = System.nanoTime() + rosterSettings.interval().toNanos();
                if (othersAlive(roster, self, rosterSettings, nodeName).isEmpty()) {
                    log.info("Node {}: no other member of its cluster is alive any more; it forms the cluster", nodeName);
                    cluster.manager().tell(Join.create(self));
                    waitingForOthers = false;
                }
            }
            if (System.nanoTime() - nextReport > 0) {
                log.info("Node {} is still waiting for a seed node to answer: {}", nodeName, seeds);
                nextReport = System.nanoTime() + reportEvery.toNanos();
            }
            sleep(POLL);
        }
    }

    /**
     * The live members other than this node's address (its own entry may be left from before a crash). When Redis
     * does not answer, none: the node then joins as Pekko would without a roster.
     */
    private static List<String> othersAlive(MemberRoster roster, Address self, RosterSettings settings, String nodeName) {
        try {
            return roster.live().toCompletableFuture().get(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(member -> !AddressFromURIString.parse(member).equals(self))
                    .toList();
        } catch (Exception e) {
            log.warn("Node {}: the member roster could not be read ({}); joining the seed nodes as configured", nodeName,
                    e.toString());
            return List.of();
        }
    }

    /** The live members first, then the configured seeds, never this node: a seed process that cannot join itself. */
    private static List<Address> othersThenSeeds(List<String> othersAlive, List<Address> seeds, Address self) {
        List<Address> contacts = new ArrayList<>();
        othersAlive.stream().map(AddressFromURIString::parse).forEach(contacts::add);
        seeds.stream().filter(seed -> !seed.equals(self) && !contacts.contains(seed)).forEach(contacts::add);
        return contacts;
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
