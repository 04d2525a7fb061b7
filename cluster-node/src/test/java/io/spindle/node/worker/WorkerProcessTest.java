package io.spindle.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.Counter;
import io.spindle.node.config.WorkerLaunch;
import io.spindle.node.metrics.SpindleMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A WorkerProcess on its own (a probe as its dispatcher, no jobs): how it brings real OS processes up, notices
 * them dying, gives up on ones that never say hello, and carries their output into the node's log.
 */
class WorkerProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Config CONFIG = ConfigFactory.parseString("""
            pekko.actor.provider = local
            spindle.workers {
              hello-timeout = 2s
              restart-backoff { min = 50ms, max = 200ms }
              stop-grace = 1s
            }
            """);
    private static ActorTestKit testKit;
    private static Path dir;
    private static final AtomicInteger configs = new AtomicInteger();
    private final ListAppender<ILoggingEvent> output = new ListAppender<>();
    private final Logger outputLogger = (Logger) LoggerFactory.getLogger(WorkerOutput.class);
    private WorkerHost host;

    @BeforeAll
    static void start() throws IOException {
        testKit = ActorTestKit.create("WorkerProcessTest", CONFIG);
        dir = Files.createTempDirectory(Path.of("/tmp"), "spw");
    }

    @AfterAll
    static void stop() throws IOException {
        testKit.shutdownTestKit();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void captureWorkerOutput() {
        host = new WorkerHost("node-w", dir.resolve("run"), null, null, new RunConfigs(null),
                WorkerSettings.fromConfig(testKit.system().settings().config()), Duration.ofSeconds(3));
        output.start();
        outputLogger.addAppender(output);
    }

    @AfterEach
    void stopCapturing() {
        outputLogger.detachAppender(output);
    }

    @Test
    void anIdleWorkerThatDiesIsReportedUnavailableAndReadyAgainOnceRestarted() throws IOException {
        String configId = nextConfig();
        Path marker = dir.resolve(configId + ".died");
        WorkerLaunch command = script(configId, """
                import json, os, socket, struct, sys, time
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(os.environ["SPINDLE_WORKER_SOCKET"])
                hello = json.dumps({"op": "hello", "name": "mortal", "job_types": ["cpu.echo"], "pid": os.getpid()}).encode()
                sock.sendall(struct.pack(">I", len(hello)) + hello)
                if not os.path.exists(sys.argv[1]):
                    open(sys.argv[1], "w").close()
                    time.sleep(0.3)
                    sys.exit(3)
                while sock.recv(4096):
                    pass
                """, marker.toString());
        TestProbe<WorkerProcess.Status> dispatcher = testKit.createTestProbe();

        ActorRef<WorkerProcess.Command> worker = testKit.spawn(WorkerProcess.create(configId, 1, command, host, dispatcher.ref()));

        assertEquals(new WorkerProcess.Ready(worker, 0), dispatcher.expectMessageClass(WorkerProcess.Ready.class, WAIT));
        assertEquals(new WorkerProcess.Unavailable(worker), dispatcher.expectMessageClass(WorkerProcess.Unavailable.class, WAIT));
        assertEquals(new WorkerProcess.Ready(worker, 0), dispatcher.expectMessageClass(WorkerProcess.Ready.class, WAIT));
        assertEquals(1.0, restarts(configId));
        testKit.stop(worker, WAIT);
    }

    @Test
    void aProcessThatNeverSaysHelloIsKilledAndStartedAgain() throws IOException {
        String configId = nextConfig();
        Path pids = dir.resolve(configId + ".pids");
        WorkerLaunch command = script(configId, """
                import os, sys, time
                with open(sys.argv[1], "a") as f:
                    f.write("%d\\n" % os.getpid())
                time.sleep(60)
                """, pids.toString());
        // Long enough for the interpreter to start and write its pid on a slow machine (python3 took 0.3-0.5 s here
        // while the kernel was reclaiming page cache), short enough for several restarts within WAIT.
        var quick = host.withSettings(host.settings().withHelloTimeout(Duration.ofSeconds(2)));
        TestProbe<WorkerProcess.Status> dispatcher = testKit.createTestProbe();

        ActorRef<WorkerProcess.Command> worker = testKit.spawn(WorkerProcess.create(configId, 1, command, quick, dispatcher.ref()));
        dispatcher.awaitAssert(WAIT, () -> {
            assertTrue(Files.exists(pids) && Files.readAllLines(pids).size() >= 2, "a second process started");
            return null;
        });
        testKit.stop(worker, WAIT);

        dispatcher.expectNoMessage(Duration.ofMillis(100));
        assertTrue(restarts(configId) >= 1, "restarts: " + restarts(configId));
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        dispatcher.awaitAssert(WAIT, () -> {
            for (long pid : started) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " is still alive");
            }
            return null;
        });
    }

    @Test
    void aCommandThatCannotStartIsRetriedWithBackoffWithoutCrashingAnything() {
        String configId = nextConfig();
        WorkerLaunch missing = new WorkerLaunch(List.of(dir.resolve("no-such-worker").toString()), Map.of(), null);
        TestProbe<WorkerProcess.Status> dispatcher = testKit.createTestProbe();

        ActorRef<WorkerProcess.Command> worker = testKit.spawn(WorkerProcess.create(configId, 1, missing, host, dispatcher.ref()));

        dispatcher.awaitAssert(WAIT, () -> {
            assertTrue(restarts(configId) >= 3, "restarts: " + restarts(configId));
            return null;
        });
        dispatcher.expectNoMessage(Duration.ofMillis(100));
        testKit.stop(worker, WAIT);
    }

    @Test
    void theWorkersOutputAndLogFramesReachTheNodeLogPrefixedWithTheWorkerName() throws IOException {
        String configId = nextConfig();
        WorkerLaunch command = script(configId, """
                import json, os, socket, struct, sys
                print("printed to stdout", flush=True)
                print("printed to stderr", file=sys.stderr, flush=True)
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(os.environ["SPINDLE_WORKER_SOCKET"])
                for frame in ({"op": "hello", "name": "chatty", "job_types": []},
                              {"op": "log", "level": "warning", "message": "sent as a log frame"}):
                    payload = json.dumps(frame).encode()
                    sock.sendall(struct.pack(">I", len(payload)) + payload)
                while sock.recv(4096):
                    pass
                """);
        TestProbe<WorkerProcess.Status> dispatcher = testKit.createTestProbe();

        ActorRef<WorkerProcess.Command> worker = testKit.spawn(WorkerProcess.create(configId, 1, command, host, dispatcher.ref()));
        dispatcher.expectMessageClass(WorkerProcess.Ready.class, WAIT);

        String name = WorkerProcess.workerName(configId, 1);
        dispatcher.awaitAssert(WAIT, () -> {
            List<String> lines = output.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertTrue(lines.contains("[" + name + " job -] printed to stdout"), lines.toString());
            assertTrue(lines.contains("[" + name + " job -] printed to stderr"), lines.toString());
            assertTrue(output.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
                    && e.getFormattedMessage().equals("[" + name + " job -] sent as a log frame")), lines.toString());
            return null;
        });
        testKit.stop(worker, WAIT);
    }

    private WorkerLaunch script(String configId, String source, String... args) throws IOException {
        Path file = dir.resolve(configId + ".py");
        Files.writeString(file, source);
        List<String> argv = new java.util.ArrayList<>(List.of("python3", file.toString()));
        argv.addAll(List.of(args));
        return new WorkerLaunch(argv, Map.of(), null);
    }

    private static String nextConfig() {
        return "wp-" + configs.incrementAndGet();
    }

    private static double restarts(String configId) {
        Counter c = SpindleMetrics.get(testKit.system()).registry().find("spindle_worker_restarts").tag("config", configId).counter();
        return c == null ? 0 : c.count();
    }
}
