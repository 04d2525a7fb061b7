package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;

import io.spindle.model.store.JobViewStore;
import io.spindle.model.store.JobViewStoreContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JobViewStore contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoJobViewStoreContractTest extends JobViewStoreContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Override
    protected JobViewStore newStore() {
        return await(MongoJobViewStore.start(MONGO.freshDatabase()));
    }
}
