package io.spindle.gateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.health.BackendCheck;
import io.spindle.model.artifact.InMemoryArtifactCatalog;
import io.spindle.model.config.InMemoryConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import io.spindle.model.json.Json;
import io.spindle.model.queue.RecordingJobQueue;
import io.spindle.model.store.InMemoryJobViewStore;
import io.spindle.node.artifact.InMemoryArtifactStore;
import io.spindle.node.alias.AliasEntity;
import io.spindle.node.experiment.ExperimentEntity;
import io.spindle.node.experiment.ExperimentSettings;
import io.spindle.node.experiment.GateEntity;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.job.JobSettings;
import io.spindle.node.testsupport.LoopbackCluster;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One single-node cluster for every gateway test class in the JVM (started on first use, shut down
 * when the test run ends): JobEntity sharding on Pekko's in-memory journal and its read journal, in-memory
 * job views, config registry, artifact catalog and artifact store, a recording queue, and a gateway bound on a
 * free port.
 * Tests that need other settings (a token, small limits, readiness checks) bind more gateways on it.
 */
public final class GatewayTestNode implements BeforeAllCallback {
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Node node;

    @Override
    public void beforeAll(ExtensionContext context) {
        node = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Node.class.getName(), key -> Node.start(), Node.class);
    }

    public ActorSystem<?> system() {
        return node.kit.system();
    }

    public InMemoryJobViewStore jobViews() {
        return node.jobViews;
    }

    public InMemoryConfigRegistry configs() {
        return node.configs;
    }

    public InMemoryArtifactCatalog artifactCatalog() {
        return node.artifactCatalog;
    }

    public InMemoryArtifactStore artifacts() {
        return node.artifacts;
    }

    public RecordingJobQueue queue() {
        return node.queue;
    }

    /** The client of the default gateway (no token, default limits, one readiness check that passes). */
    public ApiClient api() {
        return node.api;
    }

    public GatewaySettings settings() {
        return GatewaySettings.create(system());
    }

    /** A gateway (not started) on the node's stores with these settings and checks. */
    public GatewayServer newGateway(GatewaySettings settings, List<BackendCheck> checks) {
        return node.newGateway(settings, checks);
    }

    /** Binds another gateway on the node with these settings and checks; it is stopped with the node. */
    public ApiClient startGateway(GatewaySettings settings, List<BackendCheck> checks) {
        return node.startGateway(settings, checks);
    }

    /** Registers an active config (version 1) unless one with this id exists. */
    public ModelConfig config(String id, String... jobTypes) {
        ModelConfig config = new ModelConfig(id, "Config " + id, 1, List.of(jobTypes), "test", null, Json.object(), null, true,
                Instant.now());
        await(configs().configVersions(id).thenCompose(v -> v.isEmpty() ? configs().createConfig(config) : CompletableFuture.completedFuture(config)));
        return await(configs().config(id)).orElseThrow();
    }

    /** Asks a job's entity directly, as a dispatcher or worker would; fails the test on a rejection. */
    public Job ask(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command) {
        return await(JobEntity.entityRef(system(), jobId).ask(command::apply, TIMEOUT)).orThrow();
    }

    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static final class Node implements AutoCloseable {
        private static final Config CONFIG = LoopbackCluster.config("""
                pekko.cluster.seed-nodes = []
                spindle.node.name = "gateway-test-node"
                spindle.gateway.port = 0
                spindle.gateway.read-journal = "%s"
                spindle.gateway.sse-keep-alive = 1s
                """.formatted(PersistenceTestKitReadJournal.Identifier()))
                .withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config());

        final ActorTestKit kit;
        final InMemoryJobViewStore jobViews = new InMemoryJobViewStore();
        final InMemoryConfigRegistry configs = new InMemoryConfigRegistry();
        final InMemoryArtifactCatalog artifactCatalog = new InMemoryArtifactCatalog();
        final InMemoryArtifactStore artifacts;
        final RecordingJobQueue queue = new RecordingJobQueue();
        final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        final List<GatewayServer> servers = new CopyOnWriteArrayList<>();
        final ApiClient api;

        private Node() {
            kit = ActorTestKit.create("GatewayTest", CONFIG);
            artifacts = new InMemoryArtifactStore(kit.system());
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                assertEquals(MemberStatus.up(), cluster.selfMember().status());
                return null;
            });
            JobEntity.init(kit.system(), queue, JobSettings.create(kit.system()));
            AliasEntity.init(kit.system());
            GateEntity.init(kit.system());
            ExperimentEntity.init(kit.system(), ExperimentSettings.fromConfig(kit.system().settings().config()));
            api = startGateway(GatewaySettings.create(kit.system()),
                    List.of(BackendCheck.of("always", () -> CompletableFuture.completedFuture("fine"))));
        }

        static Node start() {
            return new Node();
        }

        GatewayServer newGateway(GatewaySettings settings, List<BackendCheck> checks) {
            return new GatewayServer(kit.system(), jobViews, configs, artifactCatalog, artifacts, checks, settings);
        }

        ApiClient startGateway(GatewaySettings settings, List<BackendCheck> checks) {
            GatewayServer server = newGateway(settings, checks);
            await(server.start());
            servers.add(server);
            return new ApiClient(http, server.port());
        }

        @Override
        public void close() {
            servers.forEach(s -> await(s.stop()));
            kit.shutdownTestKit();
        }
    }
}
