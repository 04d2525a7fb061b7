package io.spindle.node.dispatch;

import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.node.config.BuiltinWorkerArgv;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.PlacementSettings;
import io.spindle.node.config.WorkerLaunch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts, without a restart, the active configs that name this node: every {@code poll-interval} it reads the
 * registry and wants a dispatcher for each active config whose {@code preferred_node} is this node (or an alias)
 * and whose {@code runtime_backend} is a built-in shim this machine can run. It tells {@link NodeDispatchers} to
 * host what is newly wanted and unhost what is no longer (deactivated, moved to another node or backend), then
 * publishes the node's full placement (the configs of its node file plus these) to the hosting directory.
 *
 * <p>Example: {@code POST /configs} with {@code preferred_node: "gpu-1", runtime_backend: "openai"} on any node;
 * within a poll interval node gpu-1 starts one openai worker for it and the directory lists gpu-1 for the config.
 * {@code PATCH is_active=false} stops that worker at the next poll; queued jobs wait in the queue. Configs of the
 * node file are never touched, and a config the node file hosts is not hosted twice.
 */
public final class ConfigPlacement {
    /** What the placement actor handles. */
    public sealed interface Command {}

    private record Poll() implements Command {}

    private record Read(List<ModelConfig> configs, Throwable error) implements Command {}

    private record Placed(String configId, String backend) {}

    private static final Logger log = LoggerFactory.getLogger(ConfigPlacement.class);

    private ConfigPlacement() {}

    /**
     * @param available whether this machine can run a built-in backend (its engine is installed)
     * @param publish publishes the node's hosted config ids to the hosting directory
     */
    public static Behavior<Command> create(String nodeName, Set<String> fromNodeFile, PlacementSettings settings, ConfigRegistry registry,
            ActorRef<NodeDispatchers.Command> dispatchers, Predicate<String> available, Function<Set<String>, CompletionStage<Done>> publish) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Poll(), java.time.Duration.ZERO, settings.pollInterval());
            return polling(ctx, timers, new State(nodeName, fromNodeFile, settings, registry, dispatchers, available, publish), new HashMap<>());
        }));
    }

    private record State(String nodeName, Set<String> fromNodeFile, PlacementSettings settings, ConfigRegistry registry,
            ActorRef<NodeDispatchers.Command> dispatchers, Predicate<String> available, Function<Set<String>, CompletionStage<Done>> publish) {}

    private static Behavior<Command> polling(ActorContext<Command> ctx, TimerScheduler<Command> timers, State s, Map<String, Placed> placed) {
        return Behaviors.receive(Command.class)
                .onMessage(Poll.class, p -> {
                    ctx.pipeToSelf(s.registry().configs(), Read::new);
                    return Behaviors.same();
                })
                .onMessage(Read.class, read -> {
                    if (read.error() != null) {
                        log.warn("placement: cannot read the config registry, keeping {}: {}", placed.keySet(), read.error().toString());
                        return Behaviors.same();
                    }
                    apply(ctx, s, placed, wanted(s, read.configs()));
                    return Behaviors.same();
                })
                .build();
    }

    private static Map<String, Placed> wanted(State s, List<ModelConfig> configs) {
        Map<String, Placed> wanted = new HashMap<>();
        for (ModelConfig c : configs) {
            if (c.isActive() && s.settings().names(c.preferredNode(), s.nodeName()) && !s.fromNodeFile().contains(c.id())
                    && RuntimeBackends.isBuiltin(c.runtimeBackend()) && s.available().test(c.runtimeBackend())) {
                wanted.put(c.id(), new Placed(c.id(), c.runtimeBackend()));
            }
        }
        return wanted;
    }

    private static void apply(ActorContext<Command> ctx, State s, Map<String, Placed> placed, Map<String, Placed> wanted) {
        boolean changed = false;
        for (Placed old : List.copyOf(placed.values())) {
            if (!old.equals(wanted.get(old.configId()))) {
                s.dispatchers().tell(new NodeDispatchers.Unhost(old.configId()));
                placed.remove(old.configId());
                log.info("placement: node {} stops hosting config {} ({})", s.nodeName(), old.configId(), old.backend());
                changed = true;
            }
        }
        for (Placed next : wanted.values()) {
            if (!placed.containsKey(next.configId())) {
                WorkerLaunch launch = new WorkerLaunch(BuiltinWorkerArgv.runtime(next.backend()), Map.of(), null);
                s.dispatchers().tell(new NodeDispatchers.Host(new HostedConfig(next.configId(), s.settings().concurrency(), launch)));
                placed.put(next.configId(), next);
                log.info("placement: node {} hosts config {} on the built-in {} backend", s.nodeName(), next.configId(), next.backend());
                changed = true;
            }
        }
        if (changed) {
            Set<String> all = new TreeSet<>(s.fromNodeFile());
            all.addAll(placed.keySet());
            s.publish().apply(all).whenComplete((done, error) -> {
                if (error != null) {
                    log.warn("placement: publishing {} failed: {}", all, error.toString());
                }
            });
        }
    }
}
