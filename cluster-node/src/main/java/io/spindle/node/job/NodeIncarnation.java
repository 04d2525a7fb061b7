package io.spindle.node.job;

import java.time.Instant;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * This node process: its name (what leases name as their holder) and when it started. A lease held by this
 * node's name but granted before {@code startedAt} belongs to a previous process of the node, killed or
 * stopped: no worker of this process runs it.
 */
public record NodeIncarnation(String node, Instant startedAt) {
    private static final String NODE_NAME = "spindle.node.name";

    /** The incarnation of the node running {@code system}. */
    public static NodeIncarnation of(ActorSystem<?> system) {
        return new NodeIncarnation(system.settings().config().getString(NODE_NAME), Instant.ofEpochMilli(system.startTime()));
    }

    /** True when {@code node} is this node's name and the lease was granted before this process started. */
    public boolean grantedByAnEarlierProcess(String node, Instant leasedAt) {
        return this.node.equals(node) && leasedAt != null && leasedAt.isBefore(startedAt);
    }
}
