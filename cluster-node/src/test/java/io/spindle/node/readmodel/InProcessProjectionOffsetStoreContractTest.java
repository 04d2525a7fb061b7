package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.node.persistence.DocumentCollection;
import io.spindle.node.persistence.InProcessServers;
import io.spindle.node.persistence.MongoCommandCounts;
import io.spindle.node.testsupport.MongoServerExtension;
import org.bson.BsonDocument;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ProjectionOffsetStore contract with its reads and writes handed to the embedded server in process. */
class InProcessProjectionOffsetStoreContractTest extends ProjectionOffsetStoreContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Override
    protected ProjectionOffsetStore newStore() {
        MongoDatabase database = MONGO.freshDatabase();
        return await(MongoProjectionOffsetStore.start(DocumentCollection.inProcess(InProcessServers.address(MONGO.uri()).orElseThrow(),
                database, MongoProjectionOffsetStore.PROJECTION_OFFSETS, BsonDocument.class, new MongoCommandCounts())));
    }
}
