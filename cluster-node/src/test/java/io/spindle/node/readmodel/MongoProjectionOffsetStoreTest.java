package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.error.ErrorCode;
import io.spindle.node.testsupport.MongoServerExtension;
import io.spindle.node.testsupport.UnreachableMongo;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/** What is particular to the MongoDB offset store: document shape and outages. */
class MongoProjectionOffsetStoreTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Test
    void offsetDocumentIsKeyedByProjectionWithA64BitOffset() {
        MongoDatabase database = MONGO.freshDatabase();
        MongoProjectionOffsetStore store = await(MongoProjectionOffsetStore.start(database));
        await(store.saveOffset("job-views", 42));
        BsonDocument doc = Mono.from(database.getCollection("projection_offsets", BsonDocument.class).find().first()).block();
        assertEquals(new BsonDocument("_id", new BsonString("job-views")).append("offset", new BsonInt64(42)), doc);
    }

    @Test
    void unreachableDatabaseIsUnavailable() {
        try (MongoClient down = UnreachableMongo.client()) {
            MongoProjectionOffsetStore unreachable = new MongoProjectionOffsetStore(down.getDatabase("spindle"));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.offset("job-views")));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.saveOffset("job-views", 1)));
        }
    }
}
