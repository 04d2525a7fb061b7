package io.spindle.node.artifact;

import com.typesafe.config.Config;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.jclouds.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the node's artifact store from {@code spindle.artifacts.s3}: the bucket through S3 ({@link S3ArtifactStore}),
 * or, when the endpoint is an S3 server running in this very process ({@code spindle dev}'s embedded one) and
 * {@code in-process} is on, that server's storage directly ({@link BlobStoreArtifactStore}): the same objects, without
 * an HTTP request on either side.
 */
public final class ArtifactStores {
    private static final Logger log = LoggerFactory.getLogger(ArtifactStores.class);

    private ArtifactStores() {
    }

    public static CompletionStage<MeteredArtifactStore> open(ActorSystem<?> system, Config s3) {
        S3StoreSettings settings = S3StoreSettings.fromConfig(s3);
        Optional<BlobStore> inProcess = s3.getBoolean("in-process") ? InProcessBlobStores.at(settings.endpoint()) : Optional.empty();
        if (inProcess.isPresent()) {
            return BlobStoreArtifactStore.open(inProcess.get(), settings.bucket(), settings.prefix(), settings.createBucket(),
                            system.dispatchers().lookup(DispatcherSelector.blocking()))
                    .thenApply(store -> {
                        log.info("Artifact store on {}, in process", settings);
                        return store;
                    });
        }
        return S3ArtifactStore.open(system, settings).thenApply(store -> store);
    }
}
