package io.spindle.node.artifact;

import static io.spindle.model.testsupport.StoreFixtures.await;

import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.artifact.ArtifactCatalogContract;
import io.spindle.node.testsupport.MongoServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ArtifactCatalog contract against a real embedded Mongo-wire server, one fresh database per test. */
class MongoArtifactCatalogContractTest extends ArtifactCatalogContract {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    @Override
    protected ArtifactCatalog newCatalog() {
        return await(MongoArtifactCatalog.start(MONGO.freshDatabase()));
    }
}
