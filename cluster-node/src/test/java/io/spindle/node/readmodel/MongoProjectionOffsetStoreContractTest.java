package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;

import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ProjectionOffsetStore contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoProjectionOffsetStoreContractTest extends ProjectionOffsetStoreContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Override
    protected ProjectionOffsetStore newStore() {
        return await(MongoProjectionOffsetStore.start(MONGO.freshDatabase()));
    }
}
