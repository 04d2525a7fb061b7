package io.spindle.model.artifact;

/** The artifact catalog contract against the in-memory catalog. */
class InMemoryArtifactCatalogContractTest extends ArtifactCatalogContract {
    @Override
    protected ArtifactCatalog newCatalog() {
        return new InMemoryArtifactCatalog();
    }
}
