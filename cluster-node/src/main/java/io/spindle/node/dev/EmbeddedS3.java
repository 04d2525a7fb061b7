package io.spindle.node.dev;

import com.typesafe.config.Config;
import io.spindle.bridge.files.PrivateFiles;
import io.spindle.node.artifact.InProcessBlobStores;
import io.spindle.node.artifact.S3StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 server on a local folder for {@code spindle dev} and tests: S3Proxy in this JVM with the
 * jclouds {@code filesystem} backend (one directory per bucket, one file per object). Closing it
 * stops the server and keeps the folder, which is 0700. Started from the node's configuration it always
 * requires signed requests: with the configured keys, or else with keys generated on first start and kept
 * in the data dir's secrets (0600). While it runs, its storage is also reachable from this process without HTTP
 * ({@link InProcessBlobStores}, under its endpoint).
 */
public final class EmbeddedS3 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);
    private static final String STARTED = "STARTED";
    private static final Duration POLL = Duration.ofMillis(10);
    /** Files in the secrets directory. */
    static final String ACCESS_KEY_FILE = "s3-access-key";
    static final String SECRET_KEY_FILE = "s3-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final BlobStore blobStore;
    private final Path directory;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, BlobStore blobStore, Path directory, String endpoint,
                       String accessKey, String secretKey) {
        this.proxy = proxy;
        this.context = context;
        this.blobStore = blobStore;
        this.directory = directory;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts a server storing buckets under {@code directory}, listening on {@code host:port}
     * (port 0 picks a free one). Empty {@code accessKey} lets anyone in; otherwise requests must be
     * signed (V2 or V4) with these keys.
     */
    public static EmbeddedS3 start(Path directory, String host, int port, String accessKey, String secretKey,
                                   Duration startTimeout) {
        Path dir = directory.toAbsolutePath();
        try {
            PrivateFiles.directory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded S3 folder " + dir, e);
        }
        Properties properties = new Properties();
        properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .overrides(properties)
                .buildView(BlobStoreContext.class);
        boolean anonymous = accessKey == null || accessKey.isEmpty();
        BlobStore blobStore = new PrivateBlobStore(context.getBlobStore(), dir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(anonymous ? AuthenticationType.NONE : AuthenticationType.AWS_V2_OR_V4,
                        anonymous ? null : accessKey, anonymous ? null : secretKey)
                .build();
        try {
            proxy.start();
            awaitStarted(proxy, startTimeout);
        } catch (Exception e) {
            stopQuietly(proxy);
            context.close();
            throw new IllegalStateException("embedded S3 did not start on " + host + ":" + port, e);
        }
        String endpoint = "http://" + host + ":" + proxy.getPort();
        log.info("Embedded S3 on {} storing under {}", endpoint, dir);
        InProcessBlobStores.register(endpoint, blobStore);
        return new EmbeddedS3(proxy, context, blobStore, dir, endpoint, anonymous ? "" : accessKey, anonymous ? "" : secretKey);
    }

    /**
     * Starts a server from {@code spindle.artifacts.embedded}; a relative {@code directory} is taken
     * under {@code dataDir}. Empty keys there mean the keys generated in {@code secrets} (never anonymous).
     */
    public static EmbeddedS3 start(Config embedded, Path dataDir, Path secrets) {
        Path dir = dataDir.resolve(embedded.getString("directory"));
        boolean configured = !embedded.getString("access-key").isEmpty();
        String accessKey = configured ? embedded.getString("access-key") : GeneratedSecret.load(secrets.resolve(ACCESS_KEY_FILE));
        String secretKey = configured ? embedded.getString("secret-key") : GeneratedSecret.load(secrets.resolve(SECRET_KEY_FILE));
        return start(dir, embedded.getString("host"), embedded.getInt("port"), accessKey, secretKey,
                embedded.getDuration("start-timeout"));
    }

    /** The endpoint URL, e.g. {@code http://127.0.0.1:38211}. */
    public String endpoint() {
        return endpoint;
    }

    public int port() {
        return proxy.getPort();
    }

    public Path directory() {
        return directory;
    }

    /** The access key requests must be signed with; empty when the server lets anyone in. */
    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** {@code base} pointed at this server: its endpoint, path-style access and its credentials. */
    public S3StoreSettings storeSettings(S3StoreSettings base) {
        return base.withEndpoint(endpoint).withPathStyleAccess(true).withKeys(accessKey, secretKey);
    }

    @Override
    public void close() {
        InProcessBlobStores.unregister(endpoint, blobStore);
        stopQuietly(proxy);
        context.close();
    }

    private static void awaitStarted(S3Proxy proxy, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy is " + proxy.getState() + " after " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.warn("Embedded S3 did not stop cleanly", e);
        }
    }
}
