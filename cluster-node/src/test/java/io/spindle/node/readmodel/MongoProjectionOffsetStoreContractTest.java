package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ProjectionOffsetStore contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoProjectionOffsetStoreContractTest extends ProjectionOffsetStoreContract {
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
    protected ProjectionOffsetStore newStore() {
        return await(MongoProjectionOffsetStore.start(client.getDatabase(MongoServerExtension.freshDatabaseName())));
    }
}
