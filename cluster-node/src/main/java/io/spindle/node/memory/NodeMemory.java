package io.spindle.node.memory;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import scala.concurrent.ExecutionContextExecutor;

/** Starts what keeps the node's footprint small when idle: heap return, the idle collection, the native-heap trim. */
public final class NodeMemory {
    private NodeMemory() {}

    public static void start(ActorSystem<?> system, MemorySettings settings) {
        HeapReturn.apply(settings);
        // On the blocking dispatcher: a full collection and malloc_trim (which holds each arena's lock) take a while.
        ExecutionContextExecutor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        Duration idle = settings.idleCollectionInterval();
        if (settings.returnHeap() && !idle.isZero()) {
            system.scheduler().scheduleWithFixedDelay(idle, idle, new IdleCollection(settings), blocking);
        }
        Duration trimEvery = settings.nativeTrimInterval();
        if (!trimEvery.isZero()) {
            NativeHeapTrim.available().ifPresent(trim -> system.scheduler().scheduleWithFixedDelay(trimEvery, trimEvery, trim::trim, blocking));
        }
    }
}
