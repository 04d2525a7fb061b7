package io.spindle.cli.e2e;

import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.dev.EmbeddedS3;
import io.spindle.node.dev.GeneratedSecret;
import io.spindle.node.dev.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real backends of a test class's nodes, outside the node processes so they outlive a node's kill -9:
 * a redis-server from the PATH (no persistence: FLUSHALL and restarts lose everything, as Redis may), the
 * embedded Mongo-wire server on a durable H2 file, and S3Proxy on a folder with signed requests. Writes the
 * config files of node processes pointing at them, with short timeouts so the suite stays quick.
 */
final class Backends implements BeforeAllCallback, AfterAllCallback {
    static final String ACCESS_KEY = "spindle-e2e";
    static final String SECRET_KEY = "spindle-e2e-secret";
    private static final Duration S3_START_TIMEOUT = Duration.ofSeconds(30);

    private Path dir;
    private RedisProcess redis;
    private EmbeddedMongo mongo;
    private EmbeddedS3 s3;
    private final List<Path> runDirs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("spindle-e2e");
        Path exe = RedisProcess.findOnPath("redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not on the PATH; the end-to-end tests need a real Redis: apt-get install -y redis-server"));
        redis = RedisProcess.start(exe, dir.resolve("redis"), 0, List.of("--save", "", "--appendonly", "no"), GeneratedSecret.random());
        mongo = EmbeddedMongo.start(dir.resolve("mongo/mongo.h2"));
        s3 = EmbeddedS3.start(dir.resolve("s3"), "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY, S3_START_TIMEOUT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        keepNodeLogs(context.getRequiredTestClass().getSimpleName());
        if (s3 != null) {
            s3.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (redis != null) {
            redis.close();
        }
        deleteRecursively(dir);
        for (Path runDir : runDirs) {
            deleteRecursively(runDir);
        }
    }

    Path dir() {
        return dir;
    }

    RedisProcess redis() {
        return redis;
    }

    String mongoUri() {
        return mongo.uri();
    }

    /**
     * Writes {@code <dir>/<node>/node.conf}: a node named {@code node} on these backends, serving HTTP on
     * {@code httpPort}, hosting {@code hosted} (HOCON list items), with {@code extra} HOCON appended.
     */
    Path nodeConfig(String node, int httpPort, String hosted, String extra) {
        Path nodeDir = dir.resolve(node);
        // Worker sockets live in the run dir: keep it short (a Unix socket path must stay under 107 bytes).
        Path runDir = Path.of("/tmp", "sp-" + node + "-" + ProcessHandle.current().pid());
        runDirs.add(runDir);
        String config = """
                spindle {
                  node {
                    name = "%s"
                    data-dir = "%s"
                    run-dir = "%s"
                    hosted-configs = [ %s ]
                  }
                  boot.seed-configs = [
                    { id = "e2e-java", name = "Java built-ins", job-types = ["cpu.*"], runtime-backend = "builtin-java" }
                    { id = "e2e-python", name = "Python built-ins", job-types = ["cpu.*"], runtime-backend = "builtin-python" }
                    { id = "e2e-unhosted", name = "Hosted nowhere", job-types = ["cpu.*"], runtime-backend = "none" }
                  ]
                  mongo { uri = "%s", database = "e2e" }
                  redis { uri = "%s", password = "%s" }
                  artifacts.s3 {
                    endpoint = "%s"
                    bucket = "e2e-artifacts"
                    access-key = "%s"
                    secret-key = "%s"
                    path-style-access = true
                  }
                  gateway { port = %d, ask-timeout = 10s }
                  # A free port per node: several nodes share this machine (the ready line names it).
                  management.port = 0
                  jobs {
                    lease.recovery-grace = 2s
                    retry-backoff { base = 300ms, factor = 2.0, max = 2s, jitter = 0.1 }
                    cancel-grace = 6s
                    passivate-after = 5s
                    ask-timeout = 10s
                  }
                  dispatch {
                    lease-ttl = 6s
                    claim-stale-interval = 2s
                    claim-stale-min-idle = 12s
                  }
                  workers {
                    heartbeat-interval = 500ms
                    unresponsive-after = 10s
                    cancel-grace = 3s
                    stop-grace = 2s
                    restart-backoff { min = 200ms, max = 2s }
                  }
                  sweep { interval = 1s, min-age = 4s, max-age = 30s }
                  readmodel.projection.batch-window = 50ms
                }
                pekko.remote.artery.canonical.port = 0
                %s
                """.formatted(node, nodeDir.resolve("data"), runDir, hosted, mongo.uri(), redis.uri(), redis.password(), s3.endpoint(),
                ACCESS_KEY, SECRET_KEY, httpPort, extra);
        try {
            Files.createDirectories(nodeDir);
            Path file = nodeDir.resolve("node.conf");
            Files.writeString(file, config);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies every node's log and stdout to target/e2e-logs/<test class>/ before the temp dir goes. */
    private void keepNodeLogs(String testClass) throws IOException {
        if (dir == null) {
            return;
        }
        Path target = Path.of("target", "e2e-logs", testClass);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".out")).toList()) {
                Files.copy(f, target.resolve(dir.relativize(f).toString().replace('/', '-')),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
