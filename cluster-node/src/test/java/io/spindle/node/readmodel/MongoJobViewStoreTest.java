package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static io.spindle.model.testsupport.StoreFixtures.fullJob;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.store.JobQuery;
import io.spindle.node.testsupport.MongoServerExtension;
import io.spindle.node.testsupport.UnreachableMongo;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/** What is particular to the MongoDB job view store: document shape and outages. */
class MongoJobViewStoreTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private MongoDatabase database;
    private MongoJobViewStore store;

    @BeforeEach
    void freshDatabase() {
        database = MONGO.freshDatabase();
        store = await(MongoJobViewStore.start(database));
    }

    @Test
    void jobDocumentCarriesQueryableFields() {
        Job job = fullJob("j1");
        await(store.putJobs(List.of(job)));
        BsonDocument doc = Mono.from(database.getCollection("jobs", BsonDocument.class).find().first()).block();
        assertEquals(new BsonString("j1"), doc.get("_id"));
        assertEquals(new BsonString("succeeded"), doc.get("status"));
        assertEquals(new BsonString("image.generate"), doc.get("type"));
        assertEquals(new BsonString("sdxl-base"), doc.get("config_id"));
        assertEquals(new BsonInt64(job.revision()), doc.get("revision"));
        assertEquals(new BsonInt64(T0.getEpochSecond() * 1_000_000_000L + T0.getNano()), doc.get("created_ns"));
        assertEquals(new BsonString(T0.toString()), doc.get("created_at"), "instants stay readable ISO-8601");
    }

    @Test
    void unreachableDatabaseIsUnavailable() {
        try (MongoClient down = UnreachableMongo.client()) {
            MongoJobViewStore unreachable = new MongoJobViewStore(down.getDatabase("spindle"));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.job("j1")));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.putJobs(List.of(fullJob("j1")))));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.queryJobs(JobQuery.all())));
        }
    }
}
