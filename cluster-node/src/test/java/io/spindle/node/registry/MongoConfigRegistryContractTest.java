package io.spindle.node.registry;

import static io.spindle.model.testsupport.StoreFixtures.await;

import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ConfigRegistryContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ConfigRegistry contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoConfigRegistryContractTest extends ConfigRegistryContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Override
    protected ConfigRegistry newRegistry() {
        return await(MongoConfigRegistry.start(MONGO.freshDatabase()));
    }
}
