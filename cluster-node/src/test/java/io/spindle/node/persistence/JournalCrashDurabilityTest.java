package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.dev.EmbeddedMongoProcess;
import io.spindle.node.persistence.TestEntity.Append;
import io.spindle.node.persistence.TestEntity.Appended;
import io.spindle.node.testsupport.MongoServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise of the embedded server: an event the journal acknowledged survives a
 * kill -9 of the server process. The server runs in a child JVM, the journal in this one.
 */
class JournalCrashDurabilityTest {
    private static final int ENTITIES = 20;
    private static final int VALUES_PER_APPEND = 3;
    private static final int ACKS_BEFORE_KILL = 150;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesKill9OfTheServer() throws Exception {
        Path dataFile = dir.resolve("mongo.h2");
        Process server = startServerProcess(dataFile);
        String database = MongoServerExtension.freshDatabaseName();
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger acks = new AtomicInteger();
        ActorTestKit writer = ActorTestKit.create("CrashWriter",
                PersistenceTestConfig.config("mongodb://127.0.0.1:" + awaitPort(server), database));
        try {
            for (int i = 0; i < ENTITIES; i++) {
                String pid = "crash-" + i;
                appendUntilFailure(writer, writer.spawn(TestEntity.create(pid, Set.of("job"))), pid, 0, acknowledged, acks);
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (acks.get() < ACKS_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(acks.get() >= ACKS_BEFORE_KILL, "writes were acknowledged before the kill: " + acks.get());

            // SIGKILL while writes are still in flight: no shutdown hook, no final commit.
            server.destroyForcibly();
            assertTrue(server.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(137, server.exitValue(), "killed by SIGKILL");
        } finally {
            server.destroyForcibly();
        }
        Map<String, Integer> ackedAtKill = new HashMap<>(acknowledged);
        writer.shutdownTestKit();

        try (EmbeddedMongo restarted = EmbeddedMongo.start(dataFile)) {
            ActorTestKit reader = ActorTestKit.create("CrashReader", PersistenceTestConfig.config(restarted.uri(), database));
            try {
                JournalClient journal = new JournalClient(reader);
                int total = 0;
                for (int i = 0; i < ENTITIES; i++) {
                    String pid = "crash-" + i;
                    List<PersistentRepr> replayed = journal.replayAll(pid);
                    int acked = ackedAtKill.getOrDefault(pid, 0);
                    assertTrue(replayed.size() >= acked, pid + ": acknowledged " + acked + ", found " + replayed.size());
                    assertEquals(0, replayed.size() % VALUES_PER_APPEND, pid + ": an AtomicWrite was stored in part");
                    for (int n = 0; n < replayed.size(); n++) {
                        assertEquals(n + 1, replayed.get(n).sequenceNr());
                        assertEquals(new Appended(pid + "-" + n), replayed.get(n).payload());
                    }
                    total += replayed.size();
                }
                assertTrue(total >= ACKS_BEFORE_KILL * VALUES_PER_APPEND);
            } finally {
                reader.shutdownTestKit();
            }
        }
    }

    /** Appends batches of values to one entity, one after the other, until a write fails. */
    private static void appendUntilFailure(ActorTestKit kit, ActorRef<TestEntity.Command> entity, String pid, int next,
                                           Map<String, Integer> acknowledged, AtomicInteger acks) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < VALUES_PER_APPEND; i++) {
            values.add(pid + "-" + (next + i));
        }
        AskPattern.<TestEntity.Command, Integer>ask(entity, replyTo -> new Append(values, replyTo), Duration.ofSeconds(5),
                kit.scheduler()).whenComplete((count, error) -> {
                    if (error == null) {
                        acknowledged.put(pid, count);
                        acks.incrementAndGet();
                        appendUntilFailure(kit, entity, pid, count, acknowledged, acks);
                    }
                });
    }

    private Process startServerProcess(Path dataFile) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                EmbeddedMongoProcess.class.getName(), dataFile.toString(), "0")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
    }

    private int awaitPort(Process server) throws Exception {
        Path log = dir.resolve("server.log");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith(EmbeddedMongoProcess.READY_LINE)) {
                    return Integer.parseInt(line.substring(EmbeddedMongoProcess.READY_LINE.length()).trim());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("server process did not start: " + Files.readString(log));
    }
}
