package io.spindle.node.readmodel;

import io.spindle.model.store.InMemoryReadStore;
import io.spindle.model.store.ReadStore;

class InMemoryReadStoreContractTest extends ReadStoreContract {
    @Override
    protected ReadStore newStore() {
        return new InMemoryReadStore();
    }
}
