package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.job.TimeOrderedUuids;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Test
    void newIdsAreWellFormedAndDistinct() {
        String a = JobIds.newId();
        String b = JobIds.newId();
        assertTrue(JobIds.isWellFormed(a), a);
        assertNotEquals(a, b);
    }

    @Test
    void newIdsAreVersion7AndAnIdMadeInALaterMillisecondSortsAfter() throws InterruptedException {
        String earlier = JobIds.newId();
        Thread.sleep(2);
        String later = JobIds.newId();

        assertEquals(7, UUID.fromString(earlier).version());
        assertTrue(earlier.compareTo(later) < 0, earlier + " then " + later);
        long now = System.currentTimeMillis();
        long made = TimeOrderedUuids.millisOf(UUID.fromString(later));
        assertTrue(made <= now && made > now - 60_000, "begins with the time it was made: " + made + " at " + now);
    }

    @Test
    void anIdDerivedFromAVersion7KeyBeginsWithTheKeysTimeAndStillDependsOnConfigAndKey() {
        String key = "0190f6a8-5b2c-7d3e-8f41-2a6b9c0d1e2f";

        String id = JobIds.fromIdempotencyKey("cfg-a", key);

        assertEquals("0190f6a8-5b2c-8", id.substring(0, 15), "the key's 48-bit time, then version 8");
        assertEquals(id, JobIds.fromIdempotencyKey("cfg-a", key));
        assertNotEquals(id, JobIds.fromIdempotencyKey("cfg-b", key));
        assertNotEquals(id, JobIds.fromIdempotencyKey("cfg-a", "0190f6a8-5b2c-7d3e-8f41-2a6b9c0d1e30"));
        assertTrue(JobIds.isWellFormed(id), id);
    }

    @Test
    void keysMadeForASubmitWithoutOneGiveIdsInTheOrderTheyWereMade() throws InterruptedException {
        String first = JobIds.fromIdempotencyKey("cfg-a", TimeOrderedUuids.next());
        Thread.sleep(2);
        String second = JobIds.fromIdempotencyKey("cfg-a", TimeOrderedUuids.next());

        assertTrue(first.compareTo(second) < 0, first + " then " + second);
    }

    @Test
    void idsOfOtherKeysAreAllHashAsBefore() {
        // Pinned: changing these would give a retried submission a second job.
        assertEquals("67948c3c-cc7e-830a-b9e9-409c025b780a", JobIds.fromIdempotencyKey("cfg-a", "order-17"));
        // Not canonical (uppercase), so not read as a time.
        assertNotEquals("0190f6a8-5b2c", JobIds.fromIdempotencyKey("cfg-a", "0190F6A8-5B2C-7D3E-8F41-2A6B9C0D1E2F").substring(0, 13));
        // A version-4 UUID key carries no time.
        assertNotEquals("0190f6a8-5b2c", JobIds.fromIdempotencyKey("cfg-a", "0190f6a8-5b2c-4d3e-8f41-2a6b9c0d1e2f").substring(0, 13));
    }

    @Test
    void oneIdempotencyKeyOnOneConfigMapsToOneJobId() {
        String id = JobIds.fromIdempotencyKey("cfg-a", "order-17");

        assertEquals(id, JobIds.fromIdempotencyKey("cfg-a", "order-17"));
        assertNotEquals(id, JobIds.fromIdempotencyKey("cfg-b", "order-17"));
        assertNotEquals(id, JobIds.fromIdempotencyKey("cfg-a", "order-18"));
        assertTrue(JobIds.isWellFormed(id), id);
        assertEquals(8, UUID.fromString(id).version());
        assertEquals(36, id.length());
    }

    @Test
    void aSpecWithAKeyGetsTheDerivedIdAndOneWithoutGetsAFreshOne() {
        var keyed = JobEntityFixture.SPEC.withIdempotencyKey("order-17");

        assertEquals(JobIds.fromIdempotencyKey("cfg-a", "order-17"), JobIds.forSpec(keyed));
        assertNotEquals(JobIds.forSpec(JobEntityFixture.SPEC), JobIds.forSpec(JobEntityFixture.SPEC));
    }

    @Test
    void idsOfAnotherShapeAreNotWellFormed() {
        assertFalse(JobIds.isWellFormed(null));
        assertFalse(JobIds.isWellFormed("job-1"));
        assertFalse(JobIds.isWellFormed(JobIds.newId().toUpperCase()));
        assertFalse(JobIds.isWellFormed(JobIds.newId() + "/.."));
    }
}
