package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProjectionOffsetStore} promises, run once against each implementation (in memory and
 * MongoDB) by a subclass that supplies a fresh, empty store per test.
 */
public abstract class ProjectionOffsetStoreContract {
    protected ProjectionOffsetStore store;

    protected abstract ProjectionOffsetStore newStore();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    @Test
    void offsetsAreStoredPerProjection() {
        assertEquals(Optional.empty(), await(store.offset("jobs")));
        await(store.saveOffset("jobs", 41));
        await(store.saveOffset("jobs", 1L << 40));
        await(store.saveOffset("other", 7));
        assertEquals(Optional.of(1L << 40), await(store.offset("jobs")));
        assertEquals(Optional.of(7L), await(store.offset("other")));
    }
}
