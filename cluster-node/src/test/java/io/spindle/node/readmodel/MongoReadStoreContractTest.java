package io.spindle.node.readmodel;

import static io.spindle.node.readmodel.ReadModelFixtures.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.model.store.ReadStore;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ReadStore contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoReadStoreContractTest extends ReadStoreContract {
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
    protected ReadStore newStore() {
        return await(MongoReadStore.start(client.getDatabase(MongoServerExtension.freshDatabaseName())));
    }
}
