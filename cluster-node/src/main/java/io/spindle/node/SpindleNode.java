package io.spindle.node;

import com.mongodb.reactivestreams.client.MongoDatabase;
import com.typesafe.config.Config;
import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.alias.AliasEntity;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.ArtifactStores;
import io.spindle.node.artifact.ArtifactUploader;
import io.spindle.node.artifact.InputFetcher;
import io.spindle.node.artifact.MeteredArtifactStore;
import io.spindle.node.artifact.MongoArtifactCatalog;
import io.spindle.node.cluster.ClusterJoin;
import io.spindle.node.cluster.MemberRoster;
import io.spindle.node.cluster.RosterHeartbeat;
import io.spindle.node.cluster.RosterSettings;
import io.spindle.node.cluster.ShardingReadiness;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.config.BuiltinWorkerArgv;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.NodeSettings;
import io.spindle.node.config.PlacementSettings;
import io.spindle.node.config.SeedNodes;
import io.spindle.node.dev.EmbeddedBackends;
import io.spindle.node.directory.HostingDirectory;
import io.spindle.node.dispatch.ConfigPlacement;
import io.spindle.node.dispatch.DispatchSettings;
import io.spindle.node.dispatch.NodeDispatchers;
import io.spindle.node.experiment.ExperimentEntity;
import io.spindle.node.experiment.ExperimentResumer;
import io.spindle.node.experiment.ExperimentSettings;
import io.spindle.node.experiment.GateEntity;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobSettings;
import io.spindle.node.memory.MemorySettings;
import io.spindle.node.memory.NodeMemory;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.persistence.MongoCommandCounts;
import io.spindle.node.persistence.MongoReadJournal;
import io.spindle.node.persistence.SharedMongoClient;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.queue.RedisJobQueue;
import io.spindle.node.readmodel.JobProjection;
import io.spindle.node.readmodel.MongoJobViewStore;
import io.spindle.node.readmodel.MongoProjectionOffsetStore;
import io.spindle.node.registry.MongoConfigRegistry;
import io.spindle.node.registry.SeedConfigs;
import io.spindle.node.sweep.OutboxSweeper;
import io.spindle.node.sweep.SweepSettings;
import io.spindle.node.worker.WorkerHost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Spindle node: its backends (embedded ones first, under {@code spindle.dev.embedded}), the
 * ActorSystem "spindle" in its cluster, the sharded JobEntity, the read-model projection, the dispatchers and
 * workers of the configs it hosts, the outbox sweeper, and the services of the modules above (the HTTP
 * gateway). {@link #close()} (also run by CoordinatedShutdown and on SIGTERM) stops it in order: workers and
 * dispatchers, services (HTTP unbound), projection, the actor system (cluster left), the queue and storage
 * clients, and last the embedded backends.
 */
public final class SpindleNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpindleNode.class);

    private final Config config;
    private final NodeSettings settings;
    private final EmbeddedBackends embedded;
    private final ActorSystem<Void> system;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final List<NodeService.Running> services = Collections.synchronizedList(new ArrayList<>());
    private final List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Done> stopped = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean stoppedOnce = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "spindle-node-stop");
    // Set while starting, read by shutdown tasks on other threads.
    private volatile RedissonClient redis;
    private volatile RedisJobQueue queue;
    private volatile MongoJobViewStore jobViews;
    private volatile MongoConfigRegistry configs;
    private volatile MongoArtifactCatalog artifactCatalog;
    private volatile MeteredArtifactStore artifactStore;
    private volatile JobProjection projection;
    private volatile ActorRef<NodeDispatchers.Command> dispatchers;

    private SpindleNode(Config config, EmbeddedBackends embedded, ActorSystem<Void> system) {
        this.config = config;
        this.settings = NodeSettings.from(config);
        this.embedded = embedded;
        this.system = system;
        this.startTimeout = config.getDuration("spindle.boot.start-timeout");
        this.stopTimeout = config.getDuration("spindle.boot.stop-timeout");
    }

    /** Starts a node without services of other modules (no HTTP API). */
    public static SpindleNode start(Config config) {
        return start(config, List.of());
    }

    /**
     * Starts a node from a complete, resolved configuration (see {@link io.spindle.node.config.NodeConfig}) and then
     * {@code services}, in order. Returns once everything serves; throws (after stopping what started) otherwise.
     */
    public static SpindleNode start(Config config, List<NodeService> services) {
        EmbeddedBackends embedded = EmbeddedBackends.start(config);
        Config effective = embedded.configure(config);
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), SeedNodes.SYSTEM_NAME, ClusterJoin.withoutAutomaticJoin(effective));
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        SpindleNode node = new SpindleNode(effective, embedded, system);
        try {
            node.startComponents();
            for (NodeService service : services) {
                node.startService(service);
            }
        } catch (Exception e) {
            log.error("Node {} failed to start; stopping what started", node.settings.name(), e);
            node.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("node failed to start", e);
        }
        node.awaitShardCoordinators();
        log.info("Node {} ready: {}", node.settings.name(), node.describe());
        return node;
    }

    private void startComponents() {
        // Registered first so a SIGTERM during start-up still stops the backends after the system.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // Its own thread: stopping the embedded backends blocks, and nothing else runs once the system is gone.
        PekkoStages.direct(system.getWhenTerminated())
                .thenRun(() -> new Thread(this::afterTermination, "spindle-node-stopped-" + settings.name()).start());
        registerShutdownTasks();
        NodeMemory.start(system, MemorySettings.fromConfig(config));
        JitInlining.logAtStart();
        redis = RedisClients.create(config);
        RosterSettings rosterSettings = RosterSettings.fromConfig(config);
        MemberRoster roster = new MemberRoster(redis, rosterSettings.key());
        ClusterJoin.await(system, config, settings.name(), startTimeout, roster, rosterSettings);
        RosterHeartbeat.start(system, roster, rosterSettings);

        queue = RedisJobQueue.fromConfig(redis, config);
        MongoDatabase database = SharedMongoClient.get(system).database();
        jobViews = await("job views", MongoJobViewStore.start(database));
        configs = await("config registry", MongoConfigRegistry.start(database));
        artifactCatalog = await("artifact catalog", MongoArtifactCatalog.start(SharedMongoClient.get(system)));
        MongoProjectionOffsetStore offsets = await("projection offsets", MongoProjectionOffsetStore.start(database));
        artifactStore = await("artifact store",
                ArtifactStores.open(system, config.getConfig("spindle.artifacts.s3")));
        await("seed configs", SeedConfigs.seed(configs, SeedConfigs.fromConfig(config, Instant.now())));
        countBackendRequests();

        JobSettings jobSettings = JobSettings.create(system);
        JobEntity.init(system, queue, jobSettings);
        AliasEntity.init(system);
        GateEntity.init(system);
        ExperimentEntity.init(system, ExperimentSettings.fromConfig(config));
        // One projection per node: right for a single node. With several nodes each would fold every event
        // (harmless, views only move forward, but wasted work): run it as a sharded daemon process or a
        // cluster singleton then.
        projection = JobProjection.start(system, jobViews, offsets);
        startDispatchers();
        OutboxSweeper.startSingleton(system, jobViews, SweepSettings.fromConfig(config), jobSettings.askTimeout());
        // Unfinished experiments drive themselves again once their entities recover.
        ExperimentResumer.wakeAll(system, MongoReadJournal.IDENTIFIER).whenComplete((done, failure) -> {
            if (failure != null) {
                log.warn("Node {}: experiments could not be resumed: {}", settings.name(), failure.toString());
            }
        });
    }

    /**
     * Waits (up to {@code spindle.boot.sharding-timeout}) until this node's shard regions are registered with their
     * coordinators, so "ready" means entity requests are routed at once. A coordinator that cannot be reached by then
     * (its node unreachable and not yet downed) delays only requests to entities, which wait for it: the node goes on.
     */
    private void awaitShardCoordinators() {
        Duration timeout = config.getDuration("spindle.boot.sharding-timeout");
        if (!new ShardingReadiness(system).await(timeout)) {
            log.warn("Node {}: shard regions not registered with their coordinators within {}; entity requests wait for them",
                    settings.name(), timeout);
        }
    }

    /** Exposes each backend client's request count in /metrics (the per-job cost budget). */
    private void countBackendRequests() {
        SpindleMetrics metrics = SpindleMetrics.get(system);
        MongoCommandCounts mongo = SharedMongoClient.get(system).commandCounts();
        metrics.backendRequests("mongo", mongo::total);
        metrics.backendRequests("redis", queue::roundTrips);
        metrics.backendRequests("s3", artifactStore::requests);
    }

    /** A dispatcher (with its worker processes) per hosted config, then this node's placement for the cluster. */
    private void startDispatchers() {
        PlacementSettings placement = PlacementSettings.from(config);
        if (!settings.hostedConfigs().isEmpty() || placement.hostPreferred()) {
            ArtifactUploader uploader = ArtifactUploader.create(system, artifactStore, artifactCatalog);
            InputFetcher inputs = InputFetcher.create(system, artifactStore, artifactCatalog);
            WorkerHost host = WorkerHost.create(system, settings, uploader, inputs, configs);
            host.deleteStaleScratch();
            BuiltinWorkerArgv.deleteStaleSdkDirs();
            dispatchers = system.systemActorOf(NodeDispatchers.create(settings.hostedConfigs(), host, queue,
                    DispatchSettings.fromConfig(config)), "dispatchers", Props.empty());
        }
        Set<String> hosted = settings.hostedConfigs().stream().map(HostedConfig::configId).collect(Collectors.toSet());
        await("hosting directory", HostingDirectory.get(system).publish(settings.name(), hosted));
        if (placement.hostPreferred()) {
            system.systemActorOf(ConfigPlacement.create(settings.name(), hosted, placement, configs, dispatchers,
                    backend -> RuntimeBackends.create(backend).flatMap(RuntimeShim::unavailableReason).isEmpty(),
                    ids -> HostingDirectory.get(system).publish(settings.name(), ids)), "config-placement", Props.empty());
        }
    }

    /** What coordinated shutdown stops, by phase; each task skips what never started. */
    private void registerShutdownTasks() {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        // First, while the job entities still run: workers report their attempts as stopped (retried later).
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "spindle-dispatchers", () -> dispatchers == null
                ? CompletableFuture.completedFuture(Done.getInstance())
                : PekkoStages.direct(AskPattern.ask(dispatchers, NodeDispatchers.Stop::new, stopTimeout, system.scheduler())));
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "spindle-services", this::stopServices);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "spindle-projection", () -> projection == null
                ? CompletableFuture.completedFuture(Done.getInstance())
                : projection.stop().thenApply(d -> Done.getInstance()));
        // After the shard regions have handed off: entities may enqueue until then.
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "spindle-clients", () -> {
            if (queue != null) {
                queue.close();
            }
            if (redis != null) {
                redis.shutdown();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    private void startService(NodeService service) throws Exception {
        NodeService.Running running = service.start(
                new NodeContext(system, config, jobViews, configs, artifactCatalog, queue, artifactStore));
        services.add(running);
        String description = running.describe();
        if (!description.isBlank()) {
            descriptions.add(description);
        }
        log.info("Node {}: {} started {}", settings.name(), service.name(), description);
    }

    private CompletionStage<Done> stopServices() {
        List<NodeService.Running> toStop = new ArrayList<>(services);
        Collections.reverse(toStop);
        for (NodeService.Running s : toStop) {
            try {
                s.stop();
            } catch (Exception e) {
                log.warn("A service of node {} did not stop cleanly", settings.name(), e);
            }
        }
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    /**
     * Stops the node (coordinated shutdown of the actor system, then the embedded backends) and waits for it,
     * up to {@code spindle.boot.stop-timeout}; past that the embedded backends are stopped anyway. Idempotent and
     * safe from any thread, including the JVM shutdown hook it registers.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | SecurityException shuttingDown) {
                // called from the hook itself or during JVM shutdown: nothing to remove
            }
            log.info("Stopping node {}", settings.name());
            CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
        }
        try {
            stopped.get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Node {} did not stop within {}; stopping its embedded backends anyway", settings.name(), stopTimeout);
            afterTermination();
        }
    }

    /** Runs once the actor system has terminated, however that happened (close, SIGTERM, cluster downing). */
    private void afterTermination() {
        embedded.close();
        // Log before completing: the JVM shutdown hook waits on `stopped`, and the JVM may exit as soon as it completes.
        if (stoppedOnce.compareAndSet(false, true)) {
            log.info("Node {} stopped", settings.name());
            stopped.complete(Done.getInstance());
        }
    }

    /**
     * Why the node stopped or is stopping: empty while it runs, Pekko's {@code ClusterDowningReason} when the
     * cluster (the split-brain resolver, or a down over the management API) downed it.
     */
    public Optional<CoordinatedShutdown.Reason> stopReason() {
        return CoordinatedShutdown.get(system).getShutdownReason();
    }

    /** True when the node stopped because the cluster downed it: its process should exit with a failure. */
    public boolean wasDowned() {
        return stopReason().filter(CoordinatedShutdown.clusterDowningReason()::equals).isPresent();
    }

    /** Completes once the node has stopped completely (actor system terminated, embedded backends stopped). */
    public CompletionStage<Done> whenStopped() {
        return stopped;
    }

    // ---- what services and tests use ------------------------------------------------------------

    public ActorSystem<Void> system() {
        return system;
    }

    /** The complete configuration the node runs with (embedded backends' addresses filled in). */
    public Config config() {
        return config;
    }

    public NodeSettings settings() {
        return settings;
    }

    public JobViewStore jobViews() {
        return jobViews;
    }

    public ConfigRegistry configs() {
        return configs;
    }

    public ArtifactCatalog artifactCatalog() {
        return artifactCatalog;
    }

    public JobQueue queue() {
        return queue;
    }

    public ArtifactStore artifactStore() {
        return artifactStore;
    }

    /** One line on what this node runs, e.g. for a ready message. */
    public String describe() {
        List<String> hosted = settings.hostedConfigs().stream().map(h -> h.configId() + " x" + h.concurrency()).toList();
        String parts = "cluster address " + system.address() + ", roles " + settings.roles()
                + (hosted.isEmpty() ? ", hosting no configs" : ", hosting " + hosted)
                + (embedded.any() ? ", embedded backends under " + settings.dataDir() : "");
        synchronized (descriptions) {
            return descriptions.isEmpty() ? parts : parts + ", " + String.join(", ", descriptions);
        }
    }

    private <T> T await(String what, CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot start the " + what + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the " + what + " did not start within " + startTimeout, e);
        }
    }
}
