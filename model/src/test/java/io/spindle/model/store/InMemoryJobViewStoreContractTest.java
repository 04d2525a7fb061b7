package io.spindle.model.store;

/** The job view store contract against the in-memory store. */
class InMemoryJobViewStoreContractTest extends JobViewStoreContract {
    @Override
    protected JobViewStore newStore() {
        return new InMemoryJobViewStore();
    }
}
