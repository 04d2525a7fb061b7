package io.spindle.node.dispatch;

import io.spindle.model.queue.JobQueue;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.dispatch.DispatchSettings;
import io.spindle.node.dispatch.Dispatcher;
import io.spindle.node.worker.WorkerHost;
import java.util.HashSet;
import java.util.List;
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
            return serving(ctx, running);
        });
    }

    private static Behavior<Command> serving(ActorContext<Command> ctx, Set<ActorRef<Void>> running) {
        return Behaviors.receive(Command.class)
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
