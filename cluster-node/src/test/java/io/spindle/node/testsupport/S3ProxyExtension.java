package io.spindle.node.testsupport;

import io.spindle.node.artifact.S3StoreSettings;
import io.spindle.node.dev.EmbeddedS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Starts a real S3Proxy (filesystem backend in a temp folder, free port on 127.0.0.1) for a test
 * class, stops it and removes the folder afterwards. Use with
 * {@code @RegisterExtension static S3ProxyExtension S3 = S3ProxyExtension.withCredentials();}.
 * Each test should use its own bucket ({@link #freshBucketName()}) or key prefix to stay independent.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** Larger than any test file, so only tests that lower it use multipart uploads. */
    private static final long MULTIPART_THRESHOLD = 64L * 1024 * 1024;

    private final String accessKey;
    private final String secretKey;
    private Path dir;
    private EmbeddedS3 server;

    private S3ProxyExtension(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** A server that lets anyone in. */
    public static S3ProxyExtension anonymous() {
        return new S3ProxyExtension("", "");
    }

    /** A server that requires requests signed with fixed test keys, as real S3 does. */
    public static S3ProxyExtension withCredentials() {
        return new S3ProxyExtension("spindle-test", "spindle-test-secret");
    }

    /** Loggers that log every request at DEBUG (S3Proxy's shaded Jetty logs ~10 lines per KiB moved). */
    private static final List<String> CHATTY_LOGGERS = List.of("org.gaul", "org.jclouds");

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        quietServerLogs();
        dir = Files.createTempDirectory("spindle-s3-test");
        server = EmbeddedS3.start(dir, "127.0.0.1", 0, accessKey, secretKey, START_TIMEOUT);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
        MongoServerExtension.deleteRecursively(dir);
    }

    /**
     * Without a logback-test.xml Logback logs everything at DEBUG; the server's own DEBUG output
     * would write tens of MB per test class, so keep it at INFO.
     */
    public static void quietServerLogs() {
        for (String name : CHATTY_LOGGERS) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger && logger.getLevel() == null) {
                logger.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }

    public String endpoint() {
        return server.endpoint();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The folder holding the buckets. */
    public Path directory() {
        return dir;
    }

    /** Store settings for this server and {@code bucket}, creating the bucket on open, prefix "artifacts". */
    public S3StoreSettings settings(String bucket) {
        S3StoreSettings base = new S3StoreSettings("", bucket, "artifacts", "us-east-1", true,
                S3StoreSettings.Credentials.AUTO, "", "", true, MULTIPART_THRESHOLD);
        return server.storeSettings(base);
    }

    /** A bucket name no other test uses (S3 bucket names: lower case, digits, dashes). */
    public static String freshBucketName() {
        return "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
