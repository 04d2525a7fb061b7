package io.spindle.node.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Counter;
import io.spindle.bridge.builtin.BuiltinWorkerCommands;
import io.spindle.model.artifact.InMemoryArtifactCatalog;
import io.spindle.model.config.InMemoryConfigRegistry;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.queue.JobQueue;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.ArtifactUploader;
import io.spindle.node.artifact.InMemoryArtifactStore;
import io.spindle.node.artifact.InputFetcher;
import io.spindle.node.artifact.InputSettings;
import io.spindle.node.config.BuiltinWorkerArgv;
import io.spindle.node.config.HostedConfig;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.dispatch.DispatchSettings;
import io.spindle.node.dispatch.Dispatcher;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import io.spindle.node.job.JobSettings;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.worker.WorkerHost;
import io.spindle.node.worker.WorkerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * A node's execution path on a one-node cluster: JobEntity sharded over Pekko's in-memory journal, a job
 * queue, an artifact store with an in-memory catalog, an in-memory config registry, and dispatchers with real worker processes under a
 * short run dir. Timings are shortened so retries, restarts and watchdogs happen within a test.
 */
public final class ExecutionFixture implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    public static final String NODE = "node-t";
    public static final int CONFIG_VERSION = 1;
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Config CONFIG = LoopbackCluster.config("""
            spindle.jobs.retry-backoff { base = 50ms, max = 200ms, jitter = 0 }
            spindle.jobs.cancel-grace = 60s
            spindle.workers {
              heartbeat-interval = 100ms
              relay-interval = 100ms
              unresponsive-after = 10s
              watchdog-interval = 100ms
              cancel-grace = 10s
              stop-grace = 2s
              max-frame-bytes = 1 MiB
              restart-backoff { min = 50ms, max = 400ms }
            }
            spindle.dispatch {
              lease-ttl = 20s
              take-block = 500ms
              claim-stale-interval = 500ms
              claim-stale-min-idle = 3s
              gauge-interval = 200ms
            }
            """)
            .withFallback(PersistenceTestKitPlugin.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config());

    public final ActorTestKit testKit;
    public final JobQueue queue;
    public final ArtifactStore store;
    public final InMemoryArtifactCatalog catalog = new InMemoryArtifactCatalog();
    public final InMemoryConfigRegistry configs = new InMemoryConfigRegistry();
    public final Path dir;
    public final WorkerHost host;
    public final DispatchSettings dispatch;
    private final Path pythonSdkDir;

    private ExecutionFixture(String name, JobQueue queue, Function<ActorTestKit, ArtifactStore> store, Config overrides) {
        this.testKit = ActorTestKit.create(name, overrides.withFallback(CONFIG));
        this.queue = queue;
        this.store = store.apply(testKit);
        try {
            // Short: worker socket paths live here and must stay under 107 bytes.
            this.dir = Files.createTempDirectory(Path.of("/tmp"), "spx");
            this.pythonSdkDir = dir.resolve("py");
            BuiltinWorkerCommands.extractPythonSdk(pythonSdkDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Config config = testKit.system().settings().config();
        ArtifactUploader uploader = new ArtifactUploader(testKit.system(), this.store, catalog,
                config.getConfig("spindle.artifacts.upload"), Clock.systemUTC());
        InputFetcher inputs = new InputFetcher(testKit.system(), this.store, catalog, InputSettings.fromConfig(config),
                testKit.system().dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
        this.host = new WorkerHost(NODE, dir.resolve("run"), uploader, inputs, new io.spindle.node.worker.RunConfigs(configs),
                WorkerSettings.fromConfig(config), JobSettings.create(testKit.system()).askTimeout());
        this.dispatch = DispatchSettings.fromConfig(config);
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        poll(() -> cluster.selfMember().status(), MemberStatus.up()::equals, "the node to be up");
        JobEntity.init(testKit.system(), queue, JobSettings.create(testKit.system()));
    }

    public static ExecutionFixture start(String name, JobQueue queue) {
        return start(name, queue, kit -> new InMemoryArtifactStore(kit.system()));
    }

    public static ExecutionFixture start(String name, JobQueue queue, Function<ActorTestKit, ArtifactStore> store) {
        return start(name, queue, store, ConfigFactory.empty());
    }

    /** @param overrides configuration that takes precedence over the fixture's */
    public static ExecutionFixture start(String name, JobQueue queue, Function<ActorTestKit, ArtifactStore> store, Config overrides) {
        return new ExecutionFixture(name, queue, store, overrides);
    }

    // ---- workers and dispatchers ---------------------------------------------------------------

    /** The Python built-ins, run as the node runs them. */
    public WorkerLaunch python() {
        return new WorkerLaunch(List.of("python3", pythonSdkDir.resolve("spindle_worker.py").toString()), Map.of(), null);
    }

    /** The Java built-ins in a JVM on the test classpath. */
    public WorkerLaunch java() {
        return new WorkerLaunch(BuiltinWorkerArgv.argv("java"), Map.of(), null);
    }

    /** A Python script (written to the fixture's dir) that may import the SDK as {@code spindle_worker}. */
    public WorkerLaunch pythonScript(String fileName, String source) {
        Path script = dir.resolve(fileName);
        try {
            Files.writeString(script, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WorkerLaunch(List.of("python3", script.toString()),
                Map.of("PYTHONPATH", pythonSdkDir.toString(), "PYTHONDONTWRITEBYTECODE", "1"), null);
    }

    public ActorRef<Dispatcher.Command> dispatcher(String configId, int concurrency, WorkerLaunch command) {
        return dispatcher(configId, concurrency, command, host);
    }

    public ActorRef<Dispatcher.Command> dispatcher(String configId, int concurrency, WorkerLaunch command, WorkerHost host) {
        return testKit.spawn(Dispatcher.create(new HostedConfig(configId, concurrency, command), host, queue, dispatch),
                "dispatcher-" + configId);
    }

    /** Stops a dispatcher and waits until its worker processes are gone, so tests do not overlap. */
    public void stop(ActorRef<Dispatcher.Command> dispatcher) {
        testKit.stop(dispatcher, WAIT);
    }

    // ---- artifacts -----------------------------------------------------------------------------

    public io.spindle.model.artifact.Artifact artifact(String artifactId) {
        return catalog.artifact(artifactId).toCompletableFuture().join()
                .orElseThrow(() -> new AssertionError("no artifact " + artifactId + " in the catalog"));
    }

    /** The stored bytes of an artifact, read back from the artifact store by its URI. */
    public byte[] bytes(io.spindle.model.artifact.Artifact artifact) {
        String key = store.keyOf(artifact.uri()).orElseThrow(() -> new AssertionError("not a URI of this store: " + artifact.uri()));
        try {
            return store.get(key, java.util.Optional.empty())
                    .thenCompose(content -> content.bytes().runWith(
                            org.apache.pekko.stream.javadsl.Sink.fold(org.apache.pekko.util.ByteString.emptyByteString(),
                                    org.apache.pekko.util.ByteString::concat), testKit.system()))
                    .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).toArray();
        } catch (Exception e) {
            throw new AssertionError("cannot read artifact " + artifact.id(), e);
        }
    }

    // ---- jobs ----------------------------------------------------------------------------------

    public static JobSpec spec(String type, String configId, String inputJson) {
        try {
            return JobSpec.of(type, configId, (com.fasterxml.jackson.databind.node.ObjectNode)
                    io.spindle.model.json.Json.mapper().readTree(inputJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Submits the spec (validated, config version {@value #CONFIG_VERSION}) and returns the job id. */
    public String submit(JobSpec spec) {
        String id = JobIds.newId();
        ask(id, r -> new JobEntity.Submit(JobSpecValidator.validate(spec), CONFIG_VERSION, null, r)).orThrow();
        return id;
    }

    public Job get(String id) {
        return ask(id, JobEntity.Get::new).orThrow();
    }

    public JobReply cancel(String id) {
        return ask(id, r -> new JobEntity.Cancel("test", r));
    }

    public JobReply ask(String id, Function<ActorRef<JobReply>, JobEntity.Command> command) {
        try {
            return JobEntity.entityRef(testKit.system(), id).ask(command::apply, WAIT)
                    .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("ask to job " + id + " failed", e);
        }
    }

    /** Waits for the job to reach {@code status}; fails at once when it ends in another terminal status. */
    public Job awaitStatus(String id, JobStatus status) {
        return awaitStatus(id, status, WAIT);
    }

    public Job awaitStatus(String id, JobStatus status, Duration timeout) {
        return poll(() -> get(id), job -> {
            if (job.status() != status && job.status().isTerminal()) {
                fail("job " + id + " ended " + job.status().wireName() + " instead of " + status.wireName()
                        + " (attempt " + job.attempt() + ", last error " + job.lastError() + ")");
            }
            return job.status() == status;
        }, timeout, "job " + id + " to be " + status.wireName());
    }

    /** The job's journaled events, in order. */
    public List<JobEvent> events(String id) {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage(JobEntity.persistenceId(id).id())
                .stream().map(JobEvent.class::cast).toList();
    }

    public List<Class<?>> eventTypes(String id) {
        return events(id).stream().<Class<?>>map(Object::getClass).toList();
    }

    public double restarts(String configId) {
        Counter c = SpindleMetrics.get(testKit.system()).registry().find("spindle_worker_restarts").tag("config", configId).counter();
        return c == null ? 0 : c.count();
    }

    public double gauge(String name, String... tags) {
        var g = SpindleMetrics.get(testKit.system()).registry().find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** Whether the scratch dir of a job's attempt is still there (named {@code <job id>.<attempt>}; job ids are UUIDs). */
    public boolean scratchDirLeft(String jobId, int attempt) {
        return Files.exists(host.scratchRoot().resolve(jobId + "." + attempt));
    }

    /**
     * Attempts' scratch dirs left in the scratch root: every one is deleted, or emptied and kept idle for its worker
     * (named with a leading dot), once its attempt is reported.
     */
    public long scratchDirsLeft() {
        Path root = host.scratchRoot();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (var entries = Files.list(root)) {
            return entries.filter(entry -> !entry.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T poll(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        return poll(probe, done, WAIT, what);
    }

    public static <T> T poll(Supplier<T> probe, java.util.function.Predicate<T> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    public static void assertAttempt(int expected, Job job) {
        assertEquals(expected, job.attempt(), () -> "attempt of " + job);
    }

    @Override
    public void close() {
        testKit.shutdownTestKit();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
