package io.spindle.gateway.management;

import io.spindle.gateway.http.BearerAuth;
import io.spindle.gateway.http.RouteTable;
import io.spindle.node.concurrent.PekkoStages;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.cluster.javadsl.ClusterHttpManagementRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Pekko Management's cluster HTTP API on its own port ({@code spindle.management}): members
 * ({@code GET /cluster/members}, {@code GET /cluster/members/{address}}), leave ({@code DELETE} or
 * {@code PUT operation=Leave}), down ({@code PUT operation=Down}) and shard regions
 * ({@code GET /cluster/shards/{name}}). Every request needs the API token when one is set, as on the API port.
 * On a port apart from the API so it can stay on loopback (or a private network) while the API is public.
 */
public final class ManagementServer {
    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    private final ActorSystem<?> system;
    private final ManagementSettings settings;
    private final AtomicReference<ServerBinding> binding = new AtomicReference<>();

    public ManagementServer(ActorSystem<?> system, ManagementSettings settings) {
        this.system = system;
        this.settings = settings;
    }

    /** The cluster routes, read and write, behind the bearer token. */
    Route route() {
        Route cluster = ClusterHttpManagementRoutes.all(Cluster.get(system.classicSystem()));
        // An empty table: no endpoint is open, so every request needs the token (when one is configured).
        return new BearerAuth(settings.apiToken()).protect(new RouteTable(List.of()), () -> cluster);
    }

    /** Binds; completes with the bound address (fails when the port cannot be bound). */
    public CompletionStage<InetSocketAddress> start() {
        return PekkoStages.direct(Http.get(system).newServerAt(settings.host(), settings.port()).bind(route()))
                .thenApply(bound -> {
                    if (!binding.compareAndSet(null, bound)) {
                        bound.unbind();
                        throw new IllegalStateException("the management server is already started");
                    }
                    log.info("Cluster management HTTP listening on {}{}", bound.localAddress(),
                            settings.apiToken().isEmpty() ? "" : " (bearer token required)");
                    return bound.localAddress();
                });
    }

    /** Stops accepting connections; requests in flight get the unbind deadline. */
    public CompletionStage<Done> stop() {
        ServerBinding bound = binding.getAndSet(null);
        if (bound == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return PekkoStages.direct(bound.terminate(settings.unbindDeadline())).thenApply(t -> Done.getInstance());
    }
}
