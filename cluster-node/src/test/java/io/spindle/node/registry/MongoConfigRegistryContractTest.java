package io.spindle.node.registry;

import static io.spindle.model.testsupport.StoreFixtures.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ConfigRegistryContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ConfigRegistry contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoConfigRegistryContractTest extends ConfigRegistryContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private static MongoClient client;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(MONGO.uri());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    @Override
    protected ConfigRegistry newRegistry() {
        return await(MongoConfigRegistry.start(client.getDatabase(MongoServerExtension.freshDatabaseName())));
    }
}
