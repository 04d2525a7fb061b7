package io.spindle.node.artifact;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jclouds.blobstore.BlobStore;

/**
 * The blob stores that S3 servers running in this process serve, by the endpoint they listen on (the embedded one of
 * {@code spindle dev}): a server registers when it starts and unregisters when it stops, and {@link ArtifactStores}
 * looks one up for the endpoint a node is configured with.
 */
public final class InProcessBlobStores {
    private static final Map<String, BlobStore> BY_ENDPOINT = new ConcurrentHashMap<>();

    private InProcessBlobStores() {
    }

    public static void register(String endpoint, BlobStore blobStore) {
        BY_ENDPOINT.put(normalized(endpoint), blobStore);
    }

    /** Unregisters {@code blobStore}, not one registered at its endpoint since. */
    public static void unregister(String endpoint, BlobStore blobStore) {
        BY_ENDPOINT.remove(normalized(endpoint), blobStore);
    }

    /** The blob store served at {@code endpoint} by a server of this process now, if any. */
    public static Optional<BlobStore> at(String endpoint) {
        return endpoint == null || endpoint.isEmpty() ? Optional.empty() : Optional.ofNullable(BY_ENDPOINT.get(normalized(endpoint)));
    }

    private static String normalized(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
