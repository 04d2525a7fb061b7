package io.spindle.node.readmodel;

/** The projection offset store contract against the in-memory store. */
class InMemoryProjectionOffsetStoreContractTest extends ProjectionOffsetStoreContract {
    @Override
    protected ProjectionOffsetStore newStore() {
        return new InMemoryProjectionOffsetStore();
    }
}
