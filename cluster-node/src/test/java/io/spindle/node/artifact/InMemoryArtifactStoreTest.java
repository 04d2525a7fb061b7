package io.spindle.node.artifact;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;

/** The in-memory store against the shared {@link ArtifactStoreContract}. */
class InMemoryArtifactStoreTest extends ArtifactStoreContract {
    private static final ActorTestKit TEST_KIT = ActorTestKit.create("InMemoryArtifactStoreTest");
    private static final InMemoryArtifactStore STORE = new InMemoryArtifactStore(TEST_KIT.system(), "bucket", "artifacts");

    @AfterAll
    static void stop() {
        TEST_KIT.shutdownTestKit();
    }

    @Override
    ArtifactStore store() {
        return STORE;
    }

    @Override
    ActorTestKit testKit() {
        return TEST_KIT;
    }
}
