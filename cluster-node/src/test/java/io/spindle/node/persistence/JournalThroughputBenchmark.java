package io.spindle.node.persistence;

import com.typesafe.config.Config;
import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.testsupport.BenchmarkArgs;
import io.spindle.node.testsupport.ProcessCpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Journal write throughput against the embedded server (durable, commit per write command): M
 * persistent entities each persist events one command after the other until N events are stored,
 * once with batching as configured and once with batching off (one insert per write). Not a timed
 * test: it asserts nothing and runs only when asked, e.g.
 *
 * <pre>
 * mvn -o -q -pl cluster-node -am test -Dtest=JournalThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench=true -Dbench.args="20000 200 1"
 * cat cluster-node/target/surefire-reports/io.spindle.node.persistence.JournalThroughputBenchmark-output.txt
 * </pre>
 *
 * or as a main class with the test classpath. Arguments: events, entities, events per persist, new ids
 * to recover (0 events runs only the recovery). {@code -Dbench.overrides='...'} adds HOCON to the batched run, e.g.
 * {@code spindle.persistence.journal.batch.max-in-flight = 1}.
 *
 * <p>The recovery run starts that many entities with brand-new persistence ids at once (as a burst of
 * new jobs does) and waits until each has recovered and answered; it reports recoveries per second
 * and the find commands they took.
 */
class JournalThroughputBenchmark {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

    @Test
    @EnabledIfSystemProperty(named = "bench", matches = "true")
    void run() throws Exception {
        main(BenchmarkArgs.fromSystemProperty());
    }

    public static void main(String[] args) throws Exception {
        BenchmarkArgs.quietLogging();
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int perPersist = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int newIds = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        Path dir = Files.createTempDirectory("spindle-journal-bench");
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("mongo.h2"))) {
            if (events > 0) {
                run("batched", server, events, entities, perPersist, System.getProperty("bench.overrides", ""));
                run("unbatched", server, Math.max(entities * perPersist, events / 10), entities, perPersist,
                        "spindle.persistence.journal.batch { max-documents = 1, max-in-flight = 1 }");
            }
            recover(server, newIds, System.getProperty("bench.overrides", ""));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void run(String mode, EmbeddedMongo server, int events, int entities, int perPersist,
                            String overrides) throws Exception {
        Config config = PersistenceTestConfig.config(server.uri(), "bench" + System.nanoTime(), overrides);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
        try {
            List<ActorRef<TestEntity.Command>> refs = new ArrayList<>();
            for (int i = 0; i < entities; i++) {
                refs.add(system.systemActorOf(TestEntity.create("bench-" + i, Set.of("job")), "bench-" + i, Props.empty()));
            }
            // Warm up: recovery of every entity, first writes, JIT.
            appendAll(system, refs, 1, perPersist);

            JournalMetrics metrics = JournalMetrics.get(system);
            long insertsBefore = metrics.insertCommands();
            long writesBefore = metrics.atomicWrites();
            int rounds = Math.max(1, events / (entities * perPersist));
            long start = System.nanoTime();
            appendAll(system, refs, rounds, perPersist);
            double seconds = (System.nanoTime() - start) / 1e9;
            long stored = (long) rounds * entities * perPersist;
            long inserts = metrics.insertCommands() - insertsBefore;
            long writes = metrics.atomicWrites() - writesBefore;
            System.out.printf("%-9s %7d events (%d entities x %d persists x %d events) in %6.2f s = %7.0f events/s;"
                            + " %d writes in %d insert commands (%.1f writes per insert)%n",
                    mode, stored, entities, rounds, perPersist, seconds, stored / seconds, writes, inserts,
                    inserts == 0 ? 0.0 : (double) writes / inserts);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void recover(EmbeddedMongo server, int newIds, String overrides) throws Exception {
        Config config = PersistenceTestConfig.config(server.uri(), "bench" + System.nanoTime(), overrides);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
        try {
            // Warm up: the plugins, the client's connections, JIT.
            recoverNewIds(system, "warm", Math.max(1, newIds / 10));
            MongoCommandCounts counts = SharedMongoClient.get(system).commandCounts();
            long findsBefore = counts.byCommand().getOrDefault("find", 0L);
            long commandsBefore = counts.total();
            long cpuBefore = ProcessCpu.nanos();
            long start = System.nanoTime();
            recoverNewIds(system, "new", newIds);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (ProcessCpu.nanos() - cpuBefore) / 1e6;
            long finds = counts.byCommand().getOrDefault("find", 0L) - findsBefore;
            System.out.printf("recovery  %7d new ids in %6.2f s = %7.0f recoveries/s, %.2f CPU-ms each (node and"
                            + " server); %d find commands (%.2f per id), %d commands in all%n",
                    newIds, seconds, newIds / seconds, cpuMillis / newIds, finds, (double) finds / newIds,
                    counts.total() - commandsBefore);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code count} entities with new persistence ids at once; completes when all have recovered. */
    private static void recoverNewIds(ActorSystem<Void> system, String prefix, int count) throws Exception {
        List<CompletableFuture<List<String>>> recovered = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ActorRef<TestEntity.Command> ref = system.systemActorOf(
                    TestEntity.create(prefix + "-" + i, Set.of()), prefix + "-" + i, Props.empty());
            recovered.add(AskPattern.<TestEntity.Command, List<String>>ask(ref, TestEntity.GetValues::new,
                    ASK_TIMEOUT, system.scheduler()).toCompletableFuture());
        }
        CompletableFuture.allOf(recovered.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    }

    /** Every entity persists {@code rounds} times, each waiting for its previous persist, all concurrently. */
    private static void appendAll(ActorSystem<Void> system, List<ActorRef<TestEntity.Command>> refs, int rounds,
                                  int perPersist) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        AtomicLong counter = new AtomicLong();
        for (ActorRef<TestEntity.Command> ref : refs) {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int round = 0; round < rounds; round++) {
                chain = chain.thenCompose(previous -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < perPersist; i++) {
                        values.add("v" + counter.incrementAndGet());
                    }
                    return AskPattern.<TestEntity.Command, Integer>ask(ref, replyTo -> new Append(values, replyTo),
                            ASK_TIMEOUT, system.scheduler()).thenApply(count -> (Void) null).toCompletableFuture();
                });
            }
            done.add(chain);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    }
}
