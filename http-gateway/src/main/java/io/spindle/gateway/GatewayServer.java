package io.spindle.gateway;

import io.spindle.gateway.health.BackendCheck;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.concurrent.PekkoStages;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the API on {@code spindle.gateway.host}/{@code port} (port 0: a free one, see {@link #port()}).
 * The binding is registered with coordinated shutdown, so stopping the node unbinds it gracefully;
 * {@link #stop()} does the same on demand. Requires JobEntity sharding to be initialised on the node.
 */
public final class GatewayServer {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final ActorSystem<?> system;
    private final GatewaySettings settings;
    private final GatewayRoutes routes;
    private final AtomicReference<Bound> bound = new AtomicReference<>();

    /** A live binding and the coordinated-shutdown tasks that would unbind it; {@link #stop()} cancels them. */
    private record Bound(ServerBinding binding, Cancellable unbindTask, Cancellable terminateTask) {}

    public GatewayServer(ActorSystem<?> system, JobViewStore jobViews, ConfigRegistry configs, ArtifactCatalog artifactCatalog,
                         ArtifactStore artifactStore, List<BackendCheck> checks, GatewaySettings settings) {
        this.system = system;
        this.settings = settings;
        this.routes = new GatewayRoutes(system, jobViews, configs, artifactCatalog, artifactStore, checks, settings);
    }

    /** Binds; completes with the bound address (fails when the port cannot be bound). */
    public CompletionStage<InetSocketAddress> start() {
        return PekkoStages.direct(Http.get(system).newServerAt(settings.host(), settings.port()).bind(routes.route()))
                .thenApply(binding -> {
                    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
                    // As ServerBinding.addToCoordinatedShutdown, but cancellable so stop() does not terminate twice.
                    Bound live = new Bound(binding,
                            shutdown.addCancellableTask(CoordinatedShutdown.PhaseServiceUnbind(), "spindle-gateway-unbind",
                                    binding::unbind),
                            shutdown.addCancellableTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "spindle-gateway-terminate",
                                    () -> PekkoStages.direct(binding.terminate(settings.unbindDeadline()))
                                            .thenApply(t -> Done.getInstance())));
                    if (!bound.compareAndSet(null, live)) {
                        cancel(live);
                        binding.unbind();
                        throw new IllegalStateException("the gateway is already started");
                    }
                    log.info("HTTP gateway listening on {}{}", binding.localAddress(),
                            settings.authRequired() ? " (bearer token required)" : "");
                    return binding.localAddress();
                });
    }

    /** The bound port; {@link #start()} must have completed. */
    public int port() {
        Bound live = bound.get();
        if (live == null) {
            throw new IllegalStateException("the gateway is not started");
        }
        return live.binding().localAddress().getPort();
    }

    /** Stops accepting connections and lets requests in flight finish within the unbind deadline. */
    public CompletionStage<Done> stop() {
        Bound live = bound.getAndSet(null);
        if (live == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        cancel(live);
        return PekkoStages.direct(live.binding().terminate(settings.unbindDeadline())).thenApply(terminated -> {
            log.info("HTTP gateway on {} stopped", live.binding().localAddress());
            return Done.getInstance();
        });
    }

    private static void cancel(Bound live) {
        live.unbindTask().cancel();
        live.terminateTask().cancel();
    }

    public GatewayRoutes routes() {
        return routes;
    }
}
