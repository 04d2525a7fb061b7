package io.spindle.gateway.ui;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.bridge.runtime.BasicEval;
import io.spindle.bridge.runtime.EspeakTts;
import io.spindle.bridge.runtime.FfmpegVideo;
import io.spindle.bridge.runtime.FliteTts;
import io.spindle.bridge.runtime.ImageMagick;
import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.model.artifact.Artifact;
import io.spindle.node.NodeContext;
import io.spindle.node.NodeService;
import io.spindle.node.SpindleNode;
import io.spindle.node.artifact.StoredObject;
import io.spindle.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole node in this JVM as {@code spindle dev} runs it: embedded MongoDB, Redis and S3 under a temp data dir,
 * one config served by one built-in Java worker (so a long cpu.sleep keeps the next job queued), the real
 * ImageMagick, ffmpeg, espeak-ng and flite runtimes as {@code spindle dev} hosts them when this machine has their
 * engines, the engine-less scorers of {@code eval-basic}, and two
 * gateways on free ports: one open, one requiring {@link #TOKEN}.
 */
final class DashboardNode implements AutoCloseable {
    static final String CONFIG = "ui-echo";
    static final String NODE_NAME = "ui-node";
    static final String TOKEN = "dashboard-test-token";
    /** Config of the ImageMagick runtime ({@code image.generate}, {@code image.transform}), named as in spindle dev. */
    static final String IMAGE_CONFIG = "image-magick";
    /** Config of the ffmpeg runtime ({@code video.*}), named as in spindle dev. */
    static final String VIDEO_CONFIG = "video-ffmpeg";
    /** Configs of two text-to-speech engines, an experiment's source and candidate ({@code audio.tts}). */
    static final String TTS_CONFIG = "tts-espeak";
    static final String TTS_CANDIDATE_CONFIG = "tts-flite";
    /** Config of the scorers that need no engine ({@code eval.duration_deviation}, {@code eval.exact_match}). */
    static final String EVAL_CONFIG = "eval-basic";
    private static final Map<String, String> RUNTIMES = Map.of(IMAGE_CONFIG, ImageMagick.BACKEND, VIDEO_CONFIG, FfmpegVideo.BACKEND,
            TTS_CONFIG, EspeakTts.BACKEND, TTS_CANDIDATE_CONFIG, FliteTts.BACKEND, EVAL_CONFIG, BasicEval.BACKEND);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final SpindleNode node;
    private final Gateways gateways;
    private final Map<String, String> missingRuntimes;

    private DashboardNode(Path dataDir, SpindleNode node, Gateways gateways, Map<String, String> missingRuntimes) {
        this.dataDir = dataDir;
        this.node = node;
        this.gateways = gateways;
        this.missingRuntimes = missingRuntimes;
    }

    static DashboardNode start() throws IOException {
        Path dataDir = Files.createTempDirectory("spindle-ui");
        Map<String, String> missing = new TreeMap<>();
        List<Object> hosted = new ArrayList<>(List.of(Map.of("config-id", CONFIG, "concurrency", 1, "worker", Map.of("builtin", "java"))));
        List<Object> seeds = new ArrayList<>(List.of(Map.of("id", CONFIG, "name", "Dashboard echo", "job-types", List.of("cpu.*"),
                "runtime-backend", "builtin-java")));
        RUNTIMES.forEach((configId, backend) -> {
            RuntimeShim shim = RuntimeBackends.create(backend).orElseThrow();
            shim.unavailableReason().ifPresentOrElse(why -> missing.put(configId, why), () -> {
                hosted.add(Map.of("config-id", configId, "concurrency", 1, "worker", Map.of("backend", backend)));
                seeds.add(Map.of("id", configId, "name", configId, "job-types", shim.jobTypes(), "runtime-backend", backend));
            });
        });
        Config config = NodeConfig.layered(ConfigFactory.parseMap(Map.of(
                        "spindle.node.hosted-configs", hosted, "spindle.boot.seed-configs", seeds), "dashboard test configs"),
                ConfigFactory.parseString("""
                spindle.dev.embedded = on
                spindle.node.name = "%s"
                spindle.node.roles = ["control", "worker"]
                spindle.readmodel.projection.batch-window = 20ms
                spindle.gateway.port = 0
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """.formatted(NODE_NAME))
                .withValue("spindle.node.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
                .withValue("spindle.node.run-dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("run").toString())));
        Gateways gateways = new Gateways();
        SpindleNode node = SpindleNode.start(config, List.of(gateways));
        return new DashboardNode(dataDir, node, gateways, missing);
    }

    /** Why this machine cannot run {@code configId}'s runtime (its engine is missing), or empty when the node hosts it. */
    Optional<String> missingRuntime(String configId) {
        return Optional.ofNullable(missingRuntimes.get(configId));
    }

    /** Base URL of the gateway without a token, e.g. {@code http://127.0.0.1:41234}. */
    String openUrl() {
        return "http://127.0.0.1:" + gateways.open.port();
    }

    /** Base URL of the gateway requiring {@link #TOKEN}. */
    String guardedUrl() {
        return "http://127.0.0.1:" + gateways.guarded.port();
    }

    /**
     * Stores {@code bytes} as an artifact of {@code jobId} in the node's real artifact store and catalog, the
     * way a worker's upload records one; for media no built-in worker produces yet.
     */
    Artifact addArtifact(String jobId, String kind, String mime, String fileName, byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dataDir, "artifact", fileName);
        Files.write(file, bytes);
        String key = "artifacts/" + CONFIG + "/" + jobId + "/" + fileName;
        StoredObject stored = gateways.context.artifactStore().put(key, file, mime).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Artifact artifact = new Artifact(UUID.randomUUID().toString(), jobId, 1, CONFIG, 1, kind, mime, stored.size(), stored.sha256(),
                gateways.context.artifactStore().uri(key), "test", NODE_NAME, Instant.now(), List.of());
        gateways.context.artifactCatalog().putArtifacts(List.of(artifact)).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return artifact;
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

    /** Two gateways on the node: as {@code spindle node} adds one, and the same with an API token. */
    private static final class Gateways implements NodeService {
        NodeContext context;
        GatewayServer open;
        GatewayServer guarded;

        @Override
        public String name() {
            return "http gateways";
        }

        @Override
        public Running start(NodeContext node) throws Exception {
            context = node;
            GatewaySettings settings = GatewaySettings.create(node.system());
            open = bind(node, settings);
            guarded = bind(node, settings.withApiToken(TOKEN));
            return () -> { };
        }

        private static GatewayServer bind(NodeContext node, GatewaySettings settings) throws Exception {
            GatewayServer server = new GatewayServer(node.system(), node.jobViews(), node.configs(), node.artifactCatalog(),
                    node.artifactStore(), List.of(), settings);
            server.start().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return server;
        }
    }
}
