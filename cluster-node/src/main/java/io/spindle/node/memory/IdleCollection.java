package io.spindle.node.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the heap once when the node has gone idle after its heap grew: G1 sizes the heap by pause times, so a
 * burst on busy CPUs leaves gigabytes committed for 60 MB of live data, and neither the free ratios nor G1's periodic
 * (concurrent) collection give most of it back while old garbage waits for mixed collections that an idle node never
 * runs. A full collection compacts and returns it. Idle means no collection since the previous check; grown means
 * committed heap at least {@link #GROWTH} times what it was after the last such collection (or at start), so an idle
 * node collects once per burst, not every interval. For that one collection the heap's maximum free ratio is the idle
 * one (the heap shrinks to the live data and that much more), then the running ratios are set again: kept that low
 * under load, the heap would shrink at every concurrent cycle and collect more often.
 */
final class IdleCollection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(IdleCollection.class);
    static final double GROWTH = 1.5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final MemorySettings settings;
    private long baseline;
    private long collectionsSeen;

    IdleCollection(MemorySettings settings) {
        this.settings = settings;
        this.baseline = committed();
        this.collectionsSeen = collections();
    }

    /** One check; runs on one thread at a time (a fixed-delay schedule). */
    @Override
    public void run() {
        long collections = collections();
        boolean idle = collections == collectionsSeen;
        collectionsSeen = collections;
        long before = committed();
        if (!idle || before < baseline * GROWTH) {
            return;
        }
        int idleFree = settings.idleHeapFreeRatio();
        HeapReturn.setFreeRatios(Math.min(settings.minHeapFreeRatio(), idleFree), idleFree);
        try {
            System.gc(); // a no-op under -XX:+DisableExplicitGC: the operator chose that
        } finally {
            HeapReturn.setFreeRatios(settings.minHeapFreeRatio(), settings.maxHeapFreeRatio());
        }
        baseline = committed();
        collectionsSeen = collections();
        log.info("Idle after a burst: heap collected, committed {} MB -> {} MB", before >> 20, baseline >> 20);
    }

    private long committed() {
        return memory.getHeapMemoryUsage().getCommitted();
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .filter(count -> count > 0).sum();
    }
}
