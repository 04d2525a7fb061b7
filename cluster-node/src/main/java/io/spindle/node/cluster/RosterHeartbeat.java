package io.spindle.node.cluster;

import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link MemberRoster} entry while it is an Up member: renewed every {@code interval}, no longer
 * once it is leaving, downed or removed (the entry then runs out), and removed when the node leaves on purpose.
 */
public final class RosterHeartbeat {
    private static final Logger log = LoggerFactory.getLogger(RosterHeartbeat.class);

    private RosterHeartbeat() {}

    public static void start(ActorSystem<?> system, MemberRoster roster, RosterSettings settings) {
        Cluster cluster = Cluster.get(system);
        String self = cluster.selfMember().address().toString();
        system.scheduler().scheduleWithFixedDelay(java.time.Duration.ZERO, settings.interval(), () -> {
            MemberStatus status = cluster.selfMember().status();
            if (status == MemberStatus.up() || status == MemberStatus.weaklyUp()) {
                roster.renew(self, settings.ttl()).whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.debug("member roster not renewed: {}", failure.toString());
                    }
                });
            }
        }, system.executionContext());
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseClusterLeave(), "spindle-member-roster",
                () -> roster.remove(self).<Done>thenApply(ignored -> Done.getInstance())
                        .exceptionally(failure -> Done.getInstance()).toCompletableFuture());
    }
}
