package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.store.JobViewStoreContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JobViewStore contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoJobViewStoreContractTest extends JobViewStoreContract {
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
    protected JobViewStore newStore() {
        return await(MongoJobViewStore.start(client.getDatabase(MongoServerExtension.freshDatabaseName())));
    }
}
