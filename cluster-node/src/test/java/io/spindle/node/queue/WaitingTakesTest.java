package io.spindle.node.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Exactly one of an enqueue (claim) and the take's own wake-up (withdraw) gets a waiting take. */
class WaitingTakesTest {
    private final WaitingTakes takes = new WaitingTakes();

    @Test
    void aClaimedTakeCannotWithdrawAndGetsWhatWasServed() {
        WaitingTakes.Waiter waiter = takes.park("cfg", "node-1", 3);

        assertSame(waiter, takes.claim("cfg"));
        assertFalse(takes.withdraw("cfg", waiter), "the enqueue's read is the take's answer");
        waiter.serve(null);
        assertEquals(List.of(), waiter.served().join(), "a failed serve reads as nothing: the take reads again");
        assertEquals(0, takes.count("cfg"));
    }

    @Test
    void aWithdrawnTakeIsNeverClaimed() {
        WaitingTakes.Waiter waiter = takes.park("cfg", "node-1", 3);

        assertTrue(takes.withdraw("cfg", waiter));
        assertNull(takes.claim("cfg"), "an enqueue after the take woke must not read for it");
        assertEquals(0, takes.count("cfg"));
    }

    @Test
    void claimsTakeWaitersOfTheirConfigOnlyOldestFirst() {
        WaitingTakes.Waiter first = takes.park("cfg", "node-1", 1);
        WaitingTakes.Waiter second = takes.park("cfg", "node-1", 1);
        takes.park("other", "node-1", 1);

        assertSame(first, takes.claim("cfg"));
        assertSame(second, takes.claim("cfg"));
        assertNull(takes.claim("cfg"));
        assertEquals(1, takes.count("other"));
    }
}
