package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.store.JobViewStoreContract;
import io.spindle.node.persistence.DocumentCollection;
import io.spindle.node.persistence.InProcessServers;
import io.spindle.node.persistence.MongoCommandCounts;
import io.spindle.node.testsupport.MongoServerExtension;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JobViewStore contract with the projection's writes and reads by id handed to the embedded server in process
 * (as on {@code spindle dev}), one fresh database per test.
 */
class InProcessJobViewStoreContractTest extends JobViewStoreContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private final MongoCommandCounts inProcess = new MongoCommandCounts();

    @Override
    protected JobViewStore newStore() {
        MongoDatabase database = MONGO.freshDatabase();
        DocumentCollection<BsonDocument> documents = DocumentCollection.inProcess(InProcessServers.address(MONGO.uri()).orElseThrow(),
                database, MongoJobViewStore.JOBS, BsonDocument.class, inProcess);
        return await(MongoJobViewStore.start(database, documents));
    }

    @Test
    void theProjectionsWritesAndReadsByIdGoInProcess() {
        await(store.putJobs(List.of(job("ip-1", "cpu.noop", "echo", T0), job("ip-2", "cpu.noop", "echo", T0))));
        assertEquals(2, await(store.jobs(List.of("ip-1", "ip-2"))).size());
        assertEquals(Map.of("update jobs", 1L, "find jobs", 1L), inProcess.byCommandAndCollection());
    }
}
