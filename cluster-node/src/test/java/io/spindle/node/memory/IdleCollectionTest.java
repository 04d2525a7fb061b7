package io.spindle.node.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleCollectionTest {
    private static final int MB = 1 << 20;
    private final int minBefore = Integer.parseInt(vm().getVMOption(HeapReturn.MIN_FREE).getValue());
    private final int maxBefore = Integer.parseInt(vm().getVMOption(HeapReturn.MAX_FREE).getValue());

    @Test
    void collectsOnceWhenIdleAfterTheHeapGrew() {
        IdleCollection idle = new IdleCollection(new MemorySettings(true, 10, 30, Duration.ofSeconds(30), 10, Duration.ZERO));
        long start = collections();
        idle.run(); // idle, but the heap has not grown: nothing to do
        assertEquals(start, collections());

        long before = committed();
        List<byte[]> burst = new ArrayList<>();
        while (committed() < before * 2 + 64L * MB) {
            burst.add(new byte[MB]);
        }
        burst.clear();
        idle.run(); // collections ran while the heap grew: not idle yet
        long grown = committed();
        long collectionsBefore = collections();

        idle.run(); // idle now: one full collection, with the idle free ratio for it alone
        assertTrue(collections() > collectionsBefore, "collected");
        assertEquals("30", vm().getVMOption(HeapReturn.MAX_FREE).getValue(), "the running ratio is back");
        assertTrue(committed() < grown, "heap given back: " + (grown >> 20) + " MB -> " + (committed() >> 20) + " MB");

        long after = collections();
        idle.run(); // once per burst: not again while the heap stays where the collection left it
        assertEquals(after, collections());
    }

    @AfterEach
    void restoreOptions() {
        HeapReturn.setFreeRatios(minBefore, maxBefore);
    }

    private static HotSpotDiagnosticMXBean vm() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    }

    private static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .filter(count -> count > 0).sum();
    }
}
