package io.spindle.node.job;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.job.JobSpec;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.QueueTicket;
import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.persistence.TestJsonSerializable;
import io.spindle.node.testsupport.BenchmarkArgs;
import io.spindle.node.testsupport.ProcessCpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a job's entity layer costs apart from everything else on a node: the CPU per job of Cluster Sharding and
 * event-sourced entities alone, in one JVM, with no HTTP, Redis, worker process or read model. Each job is three
 * asks through sharding, each journaling one write, as a job's entity sees them on a node (submit; lease with start;
 * complete), from {@code concurrency} clients at once. Four runs:
 *
 * <ul>
 *   <li>{@code floor/inmem}: a minimal event-sourced entity (three commands, three events, passivates when done) on
 *       Pekko's in-memory journal: what Pekko's sharding and typed persistence cost at the least (that journal keeps
 *       every event on the heap, so long runs also measure a growing heap);</li>
 *   <li>{@code floor/store}: the same entity on Spindle's journal and the embedded store, durable as on a node;</li>
 *   <li>{@code job/inmem} and {@code job/store}: {@link JobEntity} itself (Submit, AcquireLease with start,
 *       Complete) on each journal, its queue a no-op; it passivates after {@code spindle.jobs.passivate-after}, as on
 *       a node.</li>
 * </ul>
 *
 * Not a timed test: it prints figures and asserts nothing, and runs only when asked:
 *
 * <pre>
 * mvn -o -q -pl cluster-node -am test -Dtest=EntityFloorBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench=true -Dbench.args="40000 30000 32"
 * cat cluster-node/target/surefire-reports/io.spindle.node.job.EntityFloorBenchmark-output.txt
 * </pre>
 *
 * Arguments: warm-up jobs, measured jobs, concurrency, and optionally the runs to make ({@code job/store,floor/store};
 * all four by default). CPU is this JVM's (the entities, the journal, the embedded store, and the clients' asks), per
 * measured job. {@code -Dbench.overrides='...'} adds HOCON to every run, e.g. {@code spindle.jobs.passivate-after = 1s}.
 */
class EntityFloorBenchmark {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
    private static final String NODE = "floor-node";
    private static final String WORKER = "floor-w1";
    private static final List<String> RUNS = List.of("floor/inmem", "floor/store", "job/inmem", "job/store");

    @Test
    @EnabledIfSystemProperty(named = "bench", matches = "true")
    void run() throws Exception {
        main(BenchmarkArgs.fromSystemProperty());
    }

    public static void main(String[] args) throws Exception {
        BenchmarkArgs.quietLogging();
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        List<String> runs = args.length > 3 ? List.of(args[3].split(",")) : RUNS;
        Path dir = Files.createTempDirectory("spindle-floor-bench");
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("mongo.h2"))) {
            for (String run : runs) {
                String[] entityAndJournal = run.split("/");
                run(entityAndJournal[0], entityAndJournal[1], server, warmup, jobs, concurrency);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void run(String entity, String journal, EmbeddedMongo server, int warmup, int jobs, int concurrency)
            throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floor", config(journal, server.uri()));
        try {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            while (cluster.selfMember().status() != MemberStatus.up()) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            Function<String, CompletionStage<?>> oneJob = entity.equals("floor") ? floorJobs(system) : jobEntityJobs(system);
            drive(oneJob, warmup, concurrency);
            long cpuBefore = ProcessCpu.nanos();
            long start = System.nanoTime();
            drive(oneJob, jobs, concurrency);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (ProcessCpu.nanos() - cpuBefore) / 1e6;
            System.out.printf("%-5s/%-5s %7d jobs (3 journaled commands each, concurrency %d) in %6.2f s = %7.0f jobs/s,"
                            + " %.3f CPU-ms per job%n", entity, journal, jobs, concurrency, seconds, jobs / seconds,
                    cpuMillis / jobs);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Config config(String journal, String mongoUri) {
        String journalPlugin = journal.equals("inmem") ? "pekko.persistence.journal.inmem" : "spindle.persistence.journal";
        return ConfigFactory.parseString(System.getProperty("bench.overrides", ""))
                .withFallback(ConfigFactory.parseString("""
                        pekko.persistence.journal.plugin = "%s"
                        pekko.persistence.snapshot-store.plugin = "spindle.persistence.snapshot"
                        spindle.mongo.uri = "%s"
                        spindle.mongo.database = "floor%d"
                        spindle.node.name = "%s"
                        pekko.remote.artery.canonical.hostname = "127.0.0.1"
                        pekko.remote.artery.canonical.port = 0
                        pekko.cluster.seed-nodes = []
                        pekko.actor.serialization-bindings {
                          "io.spindle.node.persistence.TestJsonSerializable" = jackson-json
                        }
                        """.formatted(journalPlugin, mongoUri, System.nanoTime(), NODE)))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /** Runs {@code count} jobs, {@code concurrency} at a time, each as {@code oneJob} does for a new id. */
    private static void drive(Function<String, CompletionStage<?>> oneJob, int count, int concurrency) throws Exception {
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            CompletableFuture<Void> lane = new CompletableFuture<>();
            next(oneJob, started, count, lane);
            lanes.add(lane);
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
    }

    private static void next(Function<String, CompletionStage<?>> oneJob, AtomicInteger started, int count,
                             CompletableFuture<Void> lane) {
        if (started.getAndIncrement() >= count) {
            lane.complete(null);
            return;
        }
        oneJob.apply(UUID.randomUUID().toString()).whenComplete((result, error) -> {
            if (error != null) {
                lane.completeExceptionally(error);
            } else {
                next(oneJob, started, count, lane);
            }
        });
    }

    // ---- JobEntity ---------------------------------------------------------------------------------

    private static Function<String, CompletionStage<?>> jobEntityJobs(ActorSystem<Void> system) {
        JobEntity.init(system, new DiscardingQueue(), JobSettings.create(system));
        JobSpec spec = JobSpec.of("cpu.noop", "floor", JsonNodeFactory.instance.objectNode());
        return jobId -> {
            EntityRef<JobEntity.Command> ref = JobEntity.entityRef(system, jobId);
            return ref.<JobReply>ask(replyTo -> new JobEntity.Submit(spec, 1, null, replyTo), ASK_TIMEOUT)
                    .thenCompose(submitted -> ref.<JobReply>ask(replyTo ->
                            new JobEntity.AcquireLease(NODE, WORKER, null, true, replyTo), ASK_TIMEOUT))
                    .thenCompose(leased -> ref.<JobReply>ask(replyTo -> new JobEntity.Complete(NODE, WORKER, 1,
                            JsonNodeFactory.instance.objectNode(), List.of(), replyTo), ASK_TIMEOUT))
                    .thenApply(completed -> {
                        if (!(completed instanceof JobReply.Accepted)) {
                            throw new IllegalStateException("job " + jobId + " not completed: " + completed);
                        }
                        return completed;
                    });
        };
    }

    /**
     * The entity's outbox: enqueues go nowhere (this benchmark leases its jobs itself). Not the tests'
     * {@code RecordingJobQueue}: that one keeps every ticket in a copy-on-write list, which tens of thousands of jobs
     * would turn into the figure measured.
     */
    private static final class DiscardingQueue implements JobQueue {
        @Override
        public CompletionStage<Void> enqueue(QueueTicket ticket) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> enqueueAll(List<QueueTicket> tickets) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<Delivery>> take(String configId, String consumer, int max, Duration block) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> ack(List<Delivery> deliveries) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<Delivery>> claimStale(String configId, String consumer, Duration minIdle, int max) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Long> depth(String configId) {
            return CompletableFuture.completedFuture(0L);
        }
    }

    // ---- the minimal entity ------------------------------------------------------------------------

    private static final EntityTypeKey<FloorJob.Command> FLOOR_KEY = EntityTypeKey.create(FloorJob.Command.class, "FloorJob");

    private static Function<String, CompletionStage<?>> floorJobs(ActorSystem<Void> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(FLOOR_KEY, ctx -> FloorJob.create(ctx.getEntityId(), ctx.getShard())));
        return jobId -> {
            EntityRef<FloorJob.Command> ref = sharding.entityRefFor(FLOOR_KEY, jobId);
            return ref.<Integer>ask(replyTo -> new FloorJob.Step("submitted", replyTo), ASK_TIMEOUT)
                    .thenCompose(steps -> ref.<Integer>ask(replyTo -> new FloorJob.Step("running", replyTo), ASK_TIMEOUT))
                    .thenCompose(steps -> ref.<Integer>ask(replyTo -> new FloorJob.Step("succeeded", replyTo), ASK_TIMEOUT));
        };
    }

    /** Three steps, one event each; after the last it asks its shard to passivate it. */
    static final class FloorJob extends EventSourcedBehavior<FloorJob.Command, FloorJob.Stepped, Integer> {
        sealed interface Command {}

        record Step(String name, ActorRef<Integer> replyTo) implements Command {}

        record Stepped(String name) implements TestJsonSerializable {}

        private static final int STEPS = 3;
        private final ActorRef<ClusterSharding.ShardCommand> shard;
        private final ActorRef<Command> self;

        private FloorJob(String id, ActorRef<ClusterSharding.ShardCommand> shard, ActorRef<Command> self) {
            super(PersistenceId.of("FloorJob", id));
            this.shard = shard;
            this.self = self;
        }

        static Behavior<Command> create(String id, ActorRef<ClusterSharding.ShardCommand> shard) {
            return Behaviors.setup(ctx -> new FloorJob(id, shard, ctx.getSelf()));
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public Recovery recovery() {
            return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
        }

        @Override
        public CommandHandler<Command, Stepped, Integer> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Step.class, (steps, step) -> Effect().persist(new Stepped(step.name()))
                            .thenRun(next -> {
                                if (next == STEPS) {
                                    shard.tell(new ClusterSharding.Passivate<>(self));
                                }
                            })
                            .thenReply(step.replyTo(), next -> next))
                    .build();
        }

        @Override
        public EventHandler<Integer, Stepped> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((steps, event) -> steps + 1);
        }
    }
}
