package io.spindle.node.memory;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/** Starts what keeps the node's footprint small when idle: heap return and the periodic native-heap trim. */
public final class NodeMemory {
    private NodeMemory() {}

    public static void start(ActorSystem<?> system, MemorySettings settings) {
        HeapReturn.apply(settings);
        Duration interval = settings.nativeTrimInterval();
        if (interval.isZero()) {
            return;
        }
        // On the blocking dispatcher: malloc_trim walks every arena and holds its lock while it does.
        NativeHeapTrim.available().ifPresent(trim -> system.scheduler().scheduleWithFixedDelay(interval, interval, trim::trim,
                system.dispatchers().lookup(DispatcherSelector.blocking())));
    }
}
