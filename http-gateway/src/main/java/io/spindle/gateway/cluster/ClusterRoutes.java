package io.spindle.gateway.cluster;

import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;

import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.node.directory.HostingDirectory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.server.Route;

/** The cluster as this node sees it: members (joined with their published placement) and config placement. */
public final class ClusterRoutes {
    /** Roles Pekko adds itself to name a member's data center; not Spindle roles. */
    private static final String DATA_CENTER_ROLE_PREFIX = "dc-";

    private final ActorSystem<?> system;

    public ClusterRoutes(ActorSystem<?> system) {
        this.system = system;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/cluster/nodes", p -> nodes()),
                Endpoint.get("/cluster/configs", p -> configs()));
    }

    private Route nodes() {
        return QueryParams.none(() -> respond(HostingDirectory.get(system).nodes().thenApply(entries -> {
            Map<String, HostingDirectory.NodeEntry> published = new HashMap<>();
            entries.forEach(e -> published.put(e.address() + "#" + e.uid(), e));
            Cluster cluster = Cluster.get(system);
            ClusterEvent.CurrentClusterState state = cluster.state();
            Set<Member> unreachable = state.getUnreachable();
            List<ClusterNodeView> nodes = new ArrayList<>();
            for (Member m : state.getMembers()) {
                HostingDirectory.NodeEntry entry = published.get(m.address() + "#" + m.uniqueAddress().longUid());
                List<String> roles = m.getRoles().stream().filter(r -> !r.startsWith(DATA_CENTER_ROLE_PREFIX)).sorted().toList();
                nodes.add(new ClusterNodeView(m.address().toString(), entry == null ? null : entry.node(), roles, status(m.status()),
                        entry == null ? null : entry.upSince(), !unreachable.contains(m),
                        m.uniqueAddress().equals(cluster.selfMember().uniqueAddress()),
                        entry == null ? List.of() : List.copyOf(entry.configIds())));
            }
            return ok(new ClusterNodeList(nodes));
        })));
    }

    private Route configs() {
        return QueryParams.none(() -> respond(HostingDirectory.get(system).nodesByConfig().thenApply(byConfig -> {
            List<ClusterConfigView> configs = new ArrayList<>();
            byConfig.forEach((configId, nodes) -> configs.add(new ClusterConfigView(configId, List.copyOf(nodes))));
            return ok(new ClusterConfigList(configs));
        })));
    }

    /** {@code WeaklyUp} → {@code weakly_up}. */
    static String status(MemberStatus status) {
        return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }
}
