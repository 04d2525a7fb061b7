package io.spindle.model.config;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.config;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.model.error.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConfigRegistry} promises, run once against each implementation (in memory here, MongoDB in
 * cluster-node) by a subclass that supplies a fresh, empty registry per test.
 */
public abstract class ConfigRegistryContract {
    protected ConfigRegistry registry;

    protected abstract ConfigRegistry newRegistry();

    @BeforeEach
    void freshRegistry() {
        registry = newRegistry();
    }

    @Test
    void configsAreCreatedOnceAndRoundTrip() {
        ModelConfig sdxl = config("sdxl", 1, T0);
        assertEquals(sdxl, await(registry.createConfig(sdxl)));
        assertEquals(ErrorCode.ALREADY_EXISTS, failureCode(registry.createConfig(config("sdxl", 1, T0.plusSeconds(1)))));
        await(registry.createConfig(config("flux", 1, T0)));
        assertEquals(Optional.of(sdxl), await(registry.config("sdxl")));
        assertEquals(Optional.empty(), await(registry.config("nope")));
        assertEquals(List.of("flux", "sdxl"), await(registry.configs()).stream().map(ModelConfig::id).toList());
        assertEquals(List.of(sdxl), await(registry.configVersions("sdxl")));
        assertEquals(List.of(), await(registry.configVersions("nope")));
    }

    @Test
    void newVersionsKeepTheOldOnes() {
        ModelConfig v1 = await(registry.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = v1.nextVersion(config("sdxl", 1, T0).withActive(false), T0.plusSeconds(60));
        assertEquals(v2, await(registry.saveConfigVersion(v2)));
        assertEquals(ErrorCode.INVALID_STATE, failureCode(registry.saveConfigVersion(v2)), "version 2 exists already");
        ModelConfig v4 = new ModelConfig("sdxl", "skips", 4, List.of("image.generate"), "comfyui", "m", null, null, true, T0);
        assertEquals(ErrorCode.INVALID_STATE, failureCode(registry.saveConfigVersion(v4)));
        assertEquals(ErrorCode.CONFIG_NOT_FOUND, failureCode(registry.saveConfigVersion(config("nope", 2, T0))));
        assertEquals(Optional.of(v2), await(registry.config("sdxl")));
        assertEquals(List.of(v1, v2), await(registry.configVersions("sdxl")));
        assertEquals(List.of(v2), await(registry.configs()));
    }

    @Test
    void activeFlagFlipsTheLatestVersionInPlace() {
        ModelConfig v1 = await(registry.createConfig(config("sdxl", 1, T0)));
        ModelConfig v2 = await(registry.saveConfigVersion(v1.nextVersion(v1, T0.plusSeconds(1))));
        ModelConfig off = await(registry.setConfigActive("sdxl", false));
        assertEquals(v2.withActive(false), off);
        assertFalse(await(registry.config("sdxl")).orElseThrow().isActive());
        assertEquals(List.of(v1, v2.withActive(false)), await(registry.configVersions("sdxl")));
        assertTrue(await(registry.setConfigActive("sdxl", true)).isActive());
        assertEquals(ErrorCode.CONFIG_NOT_FOUND, failureCode(registry.setConfigActive("nope", true)));
    }
}
