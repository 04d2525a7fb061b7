package io.spindle.model.config;

/** The config registry contract against the in-memory registry. */
class InMemoryConfigRegistryContractTest extends ConfigRegistryContract {
    @Override
    protected ConfigRegistry newRegistry() {
        return new InMemoryConfigRegistry();
    }
}
