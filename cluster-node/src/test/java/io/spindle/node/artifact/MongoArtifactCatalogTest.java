package io.spindle.node.artifact;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.artifact;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.failureCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.error.ErrorCode;
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

/** What is particular to the MongoDB artifact catalog: document shape and outages. */
class MongoArtifactCatalogTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private MongoDatabase database;
    private MongoArtifactCatalog catalog;

    @BeforeEach
    void freshDatabase() {
        database = MONGO.freshDatabase();
        catalog = await(MongoArtifactCatalog.start(database));
    }

    @Test
    void artifactDocumentCarriesQueryableFields() {
        await(catalog.putArtifacts(List.of(artifact("art-1", "j1", T0))));
        BsonDocument doc = Mono.from(database.getCollection("artifacts", BsonDocument.class).find().first()).block();
        assertEquals(new BsonString("art-1"), doc.get("_id"));
        assertEquals(new BsonString("j1"), doc.get("job_id"));
        assertEquals(new BsonInt64(T0.getEpochSecond() * 1_000_000_000L + T0.getNano()), doc.get("created_ns"));
        assertEquals(new BsonString(T0.toString()), doc.get("created_at"), "instants stay readable ISO-8601");
    }

    @Test
    void unreachableDatabaseIsUnavailable() {
        try (MongoClient down = UnreachableMongo.client()) {
            MongoArtifactCatalog unreachable = new MongoArtifactCatalog(down.getDatabase("spindle"));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.putArtifacts(List.of(artifact("art-1", "j1", T0)))));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.artifact("art-1")));
            assertEquals(ErrorCode.UNAVAILABLE, failureCode(unreachable.artifactsOfJob("j1")));
        }
    }
}
