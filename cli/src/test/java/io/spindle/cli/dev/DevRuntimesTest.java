package io.spindle.cli.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offers of {@code spindle dev} against the shims that will serve them. */
class DevRuntimesTest {

    @Test
    void everyOfferNamesABuiltinBackendThatServesItsJobTypes() {
        for (DevRuntimes.Offer offer : DevRuntimes.OFFERS) {
            RuntimeShim shim = RuntimeBackends.create(offer.backend()).orElseThrow(() -> new AssertionError(offer + ": no such backend"));
            assertTrue(shim.jobTypes().containsAll(offer.jobTypes()), offer + " but " + offer.backend() + " runs " + shim.jobTypes());
        }
    }

    @Test
    void configIdsAreUnique() {
        List<String> ids = DevRuntimes.OFFERS.stream().map(DevRuntimes.Offer::configId).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids::toString);
    }
}
