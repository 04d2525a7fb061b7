package io.spindle.node.dispatch;

import io.spindle.model.queue.JobQueue;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.dispatch.DispatchSettings;
import io.spindle.node.dispatch.Dispatcher;
import io.spindle.node.worker.WorkerHost;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The parent of a node's dispatchers, one per hosted config (each with its worker processes). It exists so
 * coordinated shutdown can stop every worker, and hear that they are gone, while the job entities are still
 * there to receive the workers' last reports.
 */
public final class NodeDispatchers {

    /** What the parent handles. */
    public sealed interface Command {}

    /** Stops every dispatcher (and so every worker process); replies once all of them have stopped. */
    public record Stop(ActorRef<Done> replyTo) implements Command {}

    /** Starts a dispatcher for a config hosted while the node runs (see {@link ConfigPlacement}); a no-op if it runs. */
    public record Host(HostedConfig config) implements Command {}

    /** Stops the dispatcher (and its workers) of a config hosted while the node runs. */
    public record Unhost(String configId) implements Command {}

    private NodeDispatchers() {}

    public static Behavior<Command> create(List<HostedConfig> hosted, WorkerHost host, JobQueue queue, DispatchSettings settings) {
        return Behaviors.setup(ctx -> {
            Set<ActorRef<Void>> running = new HashSet<>();
            for (HostedConfig config : hosted) {
                ActorRef<Dispatcher.Command> dispatcher = ctx.spawn(Dispatcher.create(config, host, queue, settings),
                        "dispatcher-" + config.configId());
                ctx.watch(dispatcher);
                running.add(dispatcher.unsafeUpcast());
            }
            return serving(ctx, running, new HashMap<>(), host, queue, settings);
        });
    }

    private static Behavior<Command> serving(ActorContext<Command> ctx, Set<ActorRef<Void>> running,
            Map<String, ActorRef<Dispatcher.Command>> placed, WorkerHost host, JobQueue queue, DispatchSettings settings) {
        int[] spawns = {0};
        return Behaviors.receive(Command.class)
                .onMessage(Host.class, h -> {
                    String id = h.config().configId();
                    if (!placed.containsKey(id)) {
                        // Numbered: a config hosted again may start before its old dispatcher has finished stopping.
                        ActorRef<Dispatcher.Command> dispatcher = ctx.spawn(Dispatcher.create(h.config(), host, queue, settings),
                                "dispatcher-" + id + "-" + (++spawns[0]));
                        ctx.watch(dispatcher);
                        running.add(dispatcher.unsafeUpcast());
                        placed.put(id, dispatcher);
                    }
                    return Behaviors.same();
                })
                .onMessage(Unhost.class, u -> {
                    ActorRef<Dispatcher.Command> dispatcher = placed.remove(u.configId());
                    if (dispatcher != null) {
                        ctx.stop(dispatcher);
                    }
                    return Behaviors.same();
                })
                .onMessage(Stop.class, stop -> {
                    if (running.isEmpty()) {
                        stop.replyTo().tell(Done.getInstance());
                        return Behaviors.stopped();
                    }
                    running.forEach(ctx::stop);
                    return stopping(running, stop.replyTo());
                })
                .onSignal(Terminated.class, t -> {
                    running.remove(t.getRef().<Void>unsafeUpcast());
                    return Behaviors.same();
                })
                .build();
    }

    private static Behavior<Command> stopping(Set<ActorRef<Void>> running, ActorRef<Done> replyTo) {
        return Behaviors.receive(Command.class)
                .onMessage(Stop.class, again -> Behaviors.same())
                .onMessage(Host.class, late -> Behaviors.same())
                .onMessage(Unhost.class, late -> Behaviors.same())
                .onSignal(Terminated.class, t -> {
                    running.remove(t.getRef().<Void>unsafeUpcast());
                    if (running.isEmpty()) {
                        replyTo.tell(Done.getInstance());
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                })
                .build();
    }
}
