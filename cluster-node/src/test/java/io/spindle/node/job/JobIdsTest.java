package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
