package io.spindle.gateway.fuzz;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.health.BackendChecks;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.node.NodeContext;
import io.spindle.node.NodeService;
import io.spindle.node.SpindleNode;
import io.spindle.node.config.NodeConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole node in this JVM as {@code spindle dev} runs it, minus workers: embedded MongoDB (the durable
 * H2-backed store), Redis and S3 under a temp data dir, the real journal, projection and read model, and
 * the HTTP gateway on a free port with the node's readiness checks. Jobs stay queued (no config is hosted),
 * which is all the API needs to be driven.
 */
final class LiveNode implements AutoCloseable {
    static final String CONFIG = "fuzz-config";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final SpindleNode node;
    private final ApiClient api;

    private LiveNode(Path dataDir, SpindleNode node, int port) {
        this.dataDir = dataDir;
        this.node = node;
        this.api = new ApiClient(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), port);
    }

    static LiveNode start() throws IOException {
        Path dataDir = Files.createTempDirectory("spindle-fuzz");
        Config config = NodeConfig.layered(ConfigFactory.parseString("""
                spindle.dev.embedded = on
                spindle.node.name = "fuzz-node"
                spindle.node.hosted-configs = []
                spindle.boot.seed-configs = [ { id = "%s", name = "Fuzz", job-types = ["cpu.*"], runtime-backend = "builtin-java" } ]
                spindle.readmodel.projection.batch-window = 20ms
                spindle.gateway.port = 0
                pekko.remote.artery.canonical.port = 0
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """.formatted(CONFIG))
                .withValue("spindle.node.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
                .withValue("spindle.node.run-dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("run").toString())));
        Gateway gateway = new Gateway();
        SpindleNode node = SpindleNode.start(config, List.of(gateway));
        return new LiveNode(dataDir, node, gateway.server.port());
    }

    ApiClient api() {
        return api;
    }

    SpindleNode node() {
        return node;
    }

    @Override
    public void close() throws IOException {
        try {
            node.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The gateway as {@code spindle node} adds it, with the same three readiness checks. */
    private static final class Gateway implements NodeService {
        GatewayServer server;

        @Override
        public String name() {
            return "http gateway";
        }

        @Override
        public Running start(NodeContext node) throws Exception {
            server = new GatewayServer(node.system(), node.jobViews(), node.configs(), node.artifactCatalog(), node.artifactStore(),
                    List.of(BackendChecks.mongo(node.system()), BackendChecks.jobQueue("redis", node.queue()),
                            BackendChecks.artifactStore("s3", node.artifactStore())),
                    GatewaySettings.create(node.system()));
            server.start().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return () -> { };
        }
    }
}
