package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.gateway.GatewayServer;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.health.BackendCheck;
import io.spindle.model.artifact.InMemoryArtifactCatalog;
import io.spindle.model.config.InMemoryConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.json.Json;
import io.spindle.model.queue.QueueTicket;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;

/**
 * The real HTTP gateway on a single-node cluster (JobEntity sharding on Pekko's in-memory journal, in-memory job
 * views, config registry, artifact catalog and artifact store), plus a stand-in for dispatcher, workers and
 * read-model projection: a thread that takes every enqueued job, runs it through lease → start → complete (or
 * fail, for input {@code {"fail": true}}) on its entity, and copies the result into the job views. Enough to drive
 * the CLI against the API as it really is.
 */
final class RealGateway implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String NODE = "cli-test-node";

    private final ActorTestKit kit;
    private final InMemoryJobViewStore jobViews = new InMemoryJobViewStore();
    private final InMemoryConfigRegistry configs = new InMemoryConfigRegistry();
    private final LinkedBlockingQueue<QueueTicket> tickets = new LinkedBlockingQueue<>();
    private final GatewayServer server;
    private final Thread worker;
    private volatile boolean working = true;

    RealGateway() {
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.cluster.seed-nodes = []
                spindle.node.name = "%s"
                spindle.gateway.port = 0
                spindle.gateway.read-journal = "%s"
                spindle.gateway.sse-keep-alive = 1s
                spindle.experiments.tick-interval = 100ms
                """.formatted(NODE, PersistenceTestKitReadJournal.Identifier()))
                .withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config());
        kit = ActorTestKit.create("CliGatewayTest", config);
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            if (cluster.selfMember().status() != MemberStatus.up()) {
                throw new AssertionError("not up yet");
            }
            return null;
        });
        // The queue hands every enqueued ticket to the stand-in worker.
        JobEntity.init(kit.system(), new RecordingJobQueue(tickets::add), JobSettings.create(kit.system()));
        AliasEntity.init(kit.system());
        GateEntity.init(kit.system());
        ExperimentEntity.init(kit.system(), ExperimentSettings.fromConfig(kit.system().settings().config()));
        List<BackendCheck> checks = List.of(BackendCheck.of("always", () -> CompletableFuture.completedFuture("fine")));
        server = new GatewayServer(kit.system(), jobViews, configs, new InMemoryArtifactCatalog(),
                new InMemoryArtifactStore(kit.system()), checks, GatewaySettings.create(kit.system()));
        await(server.start());
        worker = new Thread(this::work, "cli-test-worker");
        worker.setDaemon(true);
        worker.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    ModelConfig config(String id, String... jobTypes) {
        return await(configs.createConfig(new ModelConfig(id, "Config " + id, 1, List.of(jobTypes), "test", null, Json.object(),
                null, true, Instant.now())));
    }

    /** Holds jobs queued (the stand-in worker leaves them alone) until {@link #resume()}. */
    void pause() {
        working = false;
    }

    void resume() {
        working = true;
    }

    private void work() {
        List<QueueTicket> held = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                QueueTicket t = tickets.poll(10, TimeUnit.MILLISECONDS);
                if (t != null) {
                    held.add(t);
                }
                if (working && !held.isEmpty()) {
                    held.forEach(this::run);
                    held.clear();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A job canceled meanwhile refuses the lease: nothing to run.
            }
        }
    }

    private void run(QueueTicket ticket) {
        String id = ticket.jobId();
        Job leased;
        try {
            leased = ask(id, r -> new JobEntity.AcquireLease(NODE, "w1", null, r));
        } catch (RuntimeException canceledOrGone) {
            project(id);
            return;
        }
        ask(id, r -> new JobEntity.Start(NODE, "w1", leased.attempt(), r));
        if (leased.input().path("fail").asBoolean(false)) {
            ask(id, r -> new JobEntity.Fail(NODE, "w1", leased.attempt(), JobError.permanent("cpu_fail", "failed as asked"), r));
        } else {
            ask(id, r -> new JobEntity.Complete(NODE, "w1", leased.attempt(), outputs(leased), List.of(), r));
        }
        project(id);
    }

    /** An {@code eval.*} job scores its input's {@code value} (so a test chooses the scores); any other job says ok. */
    private static ObjectNode outputs(Job job) {
        if (job.type().startsWith("eval.")) {
            return Json.object().put("metric", job.type().substring("eval.".length())).put("value", job.input().path("value").asDouble());
        }
        return Json.object().put("ok", true);
    }

    /** What the read-model projection would do: store the entity's current view. */
    void project(String id) {
        Job job = ask(id, JobEntity.Get::new);
        await(jobViews.putJobs(List.of(job)));
    }

    Job ask(String jobId, Function<ActorRef<JobReply>, JobEntity.Command> command) {
        return await(JobEntity.entityRef(kit.system(), jobId).ask(command::apply, TIMEOUT)).orThrow();
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        worker.interrupt();
        await(server.stop());
        kit.shutdownTestKit();
    }
}
