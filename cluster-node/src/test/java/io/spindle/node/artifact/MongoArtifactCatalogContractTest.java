package io.spindle.node.artifact;

import static io.spindle.model.testsupport.StoreFixtures.await;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.artifact.ArtifactCatalogContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ArtifactCatalog contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoArtifactCatalogContractTest extends ArtifactCatalogContract {
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
    protected ArtifactCatalog newCatalog() {
        return await(MongoArtifactCatalog.start(client.getDatabase(MongoServerExtension.freshDatabaseName())));
    }
}
