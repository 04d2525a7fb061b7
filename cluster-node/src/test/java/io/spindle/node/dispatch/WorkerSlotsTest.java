package io.spindle.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's routing (first free worker) and free-slot bookkeeping, on their own. */
class WorkerSlotsTest {
    private final WorkerSlots<String> slots = new WorkerSlots<>();

    @BeforeEach
    void threeWorkersAllUp() {
        slots.add("w1", "cfg-w1");
        slots.add("w2", "cfg-w2");
        slots.add("w3", "cfg-w3");
    }

    @Test
    void workersAreNotFreeBeforeTheySayReady() {
        assertEquals(0, slots.free());
        assertNull(slots.reserve());
    }

    @Test
    void theLowestNumberedFreeWorkerIsReservedFirst() {
        slots.ready("w3", 0);
        slots.ready("w2", 0);
        slots.ready("w1", 0);

        assertEquals("w1", slots.reserve());
        assertEquals("w2", slots.reserve());
        slots.release("w1");
        assertEquals("w1", slots.reserve(), "a released worker is first in line again");
        assertEquals("w3", slots.reserve());
        assertNull(slots.reserve());
        assertEquals("cfg-w3", slots.name("w3"));
    }

    @Test
    void reservedAndBusyWorkersAreNotFree() {
        allReady();
        String a = slots.reserve();
        String b = slots.reserve();
        slots.assign(a);

        assertEquals(1, slots.free());
        assertEquals(2, slots.taken());
        slots.release(b);
        assertEquals(2, slots.free());
    }

    @Test
    void aBusyWorkerIsFreeAgainOnlyAfterAReadyThatFollowsItsRun() {
        allReady();
        String w = slots.reserve();
        slots.assign(w); // Run #1 sent

        slots.ready(w, 0); // sent before it received Run #1: stale
        assertEquals(2, slots.free());
        slots.ready(w, 1);
        assertEquals(3, slots.free());
    }

    @Test
    void aWorkerThatWentDownIsSkippedUntilItIsReadyAgain() {
        allReady();
        slots.down("w1");

        assertEquals(2, slots.free());
        assertEquals("w2", slots.reserve());
        slots.ready("w1", 0);
        assertEquals("w1", slots.reserve());
    }

    @Test
    void aReservedWorkerThatRestartsStaysReservedUntilItsLeaseIsDecided() {
        allReady();
        String w = slots.reserve();
        slots.down(w);
        slots.ready(w, 0);

        assertEquals(2, slots.free(), "still reserved for the lease in flight");
        slots.assign(w);
        assertEquals(2, slots.free());
    }

    private void allReady() {
        slots.ready("w1", 0);
        slots.ready("w2", 0);
        slots.ready("w3", 0);
    }
}
