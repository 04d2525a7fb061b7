package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code spindle} CLI as users run it: each command a separate JVM (the CLI's own {@code main}, so its exit
 * codes and stdout/stderr are the real ones) against one {@code spindle dev} node process started for the class.
 */
class CliAgainstDevNodeE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READ_MODEL_LAG = Duration.ofSeconds(20);
    private static final List<String> CLI_JVM = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final int BENCH_JOBS = 50;

    private static Path dir;
    private static NodeProcess dev;
    private static String server;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @BeforeAll
    static void startDevNode() throws IOException {
        dir = Files.createTempDirectory("spindle-cli-e2e");
        dev = NodeProcess.dev(dir, "--data", dir.resolve("data").toString(), "--port", Integer.toString(Backends.freePort()))
                .env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        server = dev.start();
    }

    @AfterAll
    static void stopDevNode() throws IOException {
        try {
            if (dev != null) {
                dev.stop();
            }
        } finally {
            if (dev != null) {
                dev.close();
                Path logs = Path.of("target", "e2e-logs", CliAgainstDevNodeE2ETest.class.getSimpleName());
                Files.createDirectories(logs);
                Files.copy(dev.log(), logs.resolve("dev.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Backends.deleteRecursively(dir);
        }
    }

    @Test
    void theReadyLineNamesTheApiAndTheDashboard() {
        String printed = dev.printed();
        assertTrue(printed.contains("API " + server + ", dashboard " + server + "/ui"), printed);
    }

    @Test
    void submitWaitGetArtifactsDownloadListAndEvents() throws IOException {
        CliRun submit = cli("submit", "cpu.echo", "--config", "echo-python", "--input", "{\"x\":1}", "--wait", "--json");
        submit.assertExit(0);
        JsonNode job = submit.json();
        assertEquals("succeeded", job.path("status").asText(), submit::describe);
        String id = job.path("id").asText();
        assertFalse(id.isEmpty(), submit::describe);
        assertTrue(job.path("artifact_ids").size() >= 1, submit::describe);
        String artifactId = job.path("artifact_ids").get(0).asText();

        CliRun get = cli("get", id, "--json");
        get.assertExit(0);
        assertEquals(id, get.json().path("id").asText(), get::describe);
        assertEquals("succeeded", get.json().path("status").asText(), get::describe);

        CliRun wait = cli("wait", id);
        wait.assertExit(0);
        assertTrue(wait.out().contains("succeeded"), wait::describe);

        CliRun artifacts = cli("artifacts", id, "--json");
        artifacts.assertExit(0);
        JsonNode artifact = null;
        for (JsonNode a : artifacts.json().path("artifacts")) {
            if (a.path("id").asText().equals(artifactId)) {
                artifact = a;
            }
        }
        assertTrue(artifact != null, () -> "artifact " + artifactId + " not listed: " + artifacts.describe());
        assertEquals(id, artifact.path("job_id").asText(), artifacts::describe);

        Path file = dir.resolve("downloaded-echo.json");
        CliRun download = cli("download", artifactId, "-o", file.toString());
        download.assertExit(0);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(artifact.path("sha256").asText(), sha256(bytes), "the saved bytes are those the metadata describes");
        assertEquals(artifact.path("size").asLong(), bytes.length);
        assertEquals(JSON.readTree("{\"x\":1}"), JSON.readTree(bytes), "the echo artifact is the job's input as JSON");

        CliRun events = cli("events", id);
        events.assertExit(0);
        List<String> types = eventTypes(events.out());
        assertEquals("submitted", types.get(0), events::describe);
        assertTrue(types.contains("started"), events::describe);
        assertEquals("succeeded", types.get(types.size() - 1), events::describe);

        // The list reads the read model, which follows the journal with a small lag.
        CliRun list = eventually(() -> cli("list", "--status", "succeeded", "--limit", "1000", "--json"),
                run -> run.exit() == 0 && ids(run.json().path("jobs")).contains(id), READ_MODEL_LAG);
        for (JsonNode listed : list.json().path("jobs")) {
            assertEquals("succeeded", listed.path("status").asText(), list::describe);
        }
    }

    @Test
    void jobOutcomesAreExitCodes() {
        // Started together: each is a JVM of its own, and the node runs them side by side.
        CliProcess failed = start("submit", "cpu.fail", "--config", "echo-java", "--input", "{\"transient\":false}",
                "--wait", "--json");
        CliProcess deadLettered = start("submit", "cpu.fail", "--config", "echo-java", "--input", "{\"transient\":true}",
                "--max-attempts", "1", "--wait", "--json");

        CliRun submitted = cli("submit", "cpu.sleep", "--config", "echo-python", "--input", "{\"duration_ms\":60000}", "-q");
        submitted.assertExit(0);
        String sleeper = submitted.out().strip();
        CliProcess waiting = start("wait", sleeper);
        eventually(() -> cli("get", sleeper, "--json"), run -> run.exit() == 0
                && "running".equals(run.json().path("status").asText()), CLI_TIMEOUT);
        cli("cancel", sleeper, "--reason", "e2e").assertExit(0);

        CliRun waited = waiting.await();
        waited.assertExit(11);
        assertTrue(waited.out().contains("canceled"), waited::describe);
        cli("wait", sleeper).assertExit(11);
        CliRun get = cli("get", sleeper, "--json");
        get.assertExit(11);
        assertEquals("canceled", get.json().path("status").asText(), get::describe);

        CliRun failedRun = failed.await();
        failedRun.assertExit(10);
        assertEquals("failed", failedRun.json().path("status").asText(), failedRun::describe);
        CliRun deadRun = deadLettered.await();
        deadRun.assertExit(12);
        assertEquals("dead_lettered", deadRun.json().path("status").asText(), deadRun::describe);
        assertEquals(1, deadRun.json().path("attempt").asInt(), deadRun::describe);
    }

    @Test
    void errorsAreOneLineOnStderrWithTheirExitCode() {
        CliProcess unknown = start("get", UUID.randomUUID().toString());
        CliProcess usage = start("submit", "cpu.echo", "--input", "{}");
        CliProcess unreachable = start("get", UUID.randomUUID().toString(), "--server", "http://127.0.0.1:" + Backends.freePort());
        CliProcess badJson = start("submit", "cpu.echo", "--config", "echo-java", "--input", "{not json");

        assertOneLineError(unknown.await(), 5, "job_not_found");
        assertOneLineError(usage.await(), 2, "--config");
        assertOneLineError(unreachable.await(), 3, "127.0.0.1");
        assertOneLineError(badJson.await(), 2, "--input");
    }

    @Test
    void configsAndPlacement() {
        CliRun configs = cli("configs", "list");
        configs.assertExit(0);
        assertTrue(configs.out().contains("echo-java") && configs.out().contains("echo-python"), configs::describe);

        // The hosting directory travels by gossip: the node's own configs show up within a round or two.
        CliRun placement = eventually(() -> cli("cluster", "configs", "--json"),
                run -> run.exit() == 0 && configIds(run.json().path("configs")).containsAll(List.of("echo-java", "echo-python")),
                READ_MODEL_LAG);
        for (JsonNode c : placement.json().path("configs")) {
            assertTrue(c.path("nodes").isArray() && c.path("nodes").size() >= 1, placement::describe);
        }
    }

    @Test
    void benchReportsThroughputAndLatencies() {
        CliRun bench = cli("bench", "--jobs", Integer.toString(BENCH_JOBS), "--config", "echo-java", "--timeout", "60", "--json");
        bench.assertExit(0);
        JsonNode report = bench.json();
        System.out.println("bench: " + bench.out().strip());
        assertEquals(BENCH_JOBS, report.path("submitted").asInt(), bench::describe);
        assertEquals(BENCH_JOBS, report.path("finished").asInt(), bench::describe);
        assertEquals(0, report.path("unfinished").asInt(), bench::describe);
        assertEquals(BENCH_JOBS, report.path("statuses").path("succeeded").asInt(), bench::describe);
        assertTrue(report.path("throughput").isNumber() && report.path("throughput").asDouble() > 0, bench::describe);
        assertTrue(report.path("submit_rate").asDouble() > 0, bench::describe);
        for (String latency : List.of("submit_to_start", "submit_to_done")) {
            JsonNode stats = report.path(latency);
            assertEquals(BENCH_JOBS, stats.path("count").asInt(), bench::describe);
            double p50 = stats.path("p50_ms").asDouble(-1);
            double p99 = stats.path("p99_ms").asDouble(-1);
            assertTrue(p50 >= 0 && p50 <= p99 && p99 <= stats.path("max_ms").asDouble(-1), bench::describe);
        }
    }

    // ---- helpers

    private static void assertOneLineError(CliRun run, int exit, String mentions) {
        run.assertExit(exit);
        List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), () -> "one line on stderr: " + run.describe());
        String line = lines.get(0);
        assertTrue(line.startsWith("spindle: ") && line.contains(mentions), run::describe);
        assertFalse(line.contains("Exception") || line.contains("\tat "), () -> "no stack trace: " + run.describe());
        assertTrue(run.out().isBlank(), () -> "nothing on stdout: " + run.describe());
    }

    /** The EVENT column of {@code spindle events}' table (SEQ, AT, EVENT, DETAILS), oldest first. */
    private static List<String> eventTypes(String table) {
        List<String> types = new ArrayList<>();
        table.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> types.add(l.strip().split("\\s+")[2]));
        assertFalse(types.isEmpty(), table);
        return types;
    }

    private static List<String> ids(JsonNode jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(j -> ids.add(j.path("id").asText()));
        return ids;
    }

    private static List<String> configIds(JsonNode configs) {
        List<String> ids = new ArrayList<>();
        configs.forEach(c -> ids.add(c.path("config_id").asText()));
        return ids;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Repeats {@code run} (a CLI call) until its result passes {@code done}; answers that result. */
    private static CliRun eventually(java.util.function.Supplier<CliRun> run, Predicate<CliRun> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CliRun last = run.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not so within " + timeout + ": " + last.describe());
            }
            NodeProcess.sleep(Duration.ofMillis(300));
            last = run.get();
        }
        return last;
    }

    /** Runs {@code spindle <args> --server <dev node>} to its end. */
    private static CliRun cli(String... args) {
        return start(args).await();
    }

    /** Starts {@code spindle <args>} (with the dev node's --server unless args give one) as a process of its own. */
    private static CliProcess start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CLI_JVM);
        command.addAll(List.of("-cp", TestClasspath.get(), "io.spindle.cli.SpindleCli"));
        command.addAll(List.of(args));
        if (!command.contains("--server")) {
            command.addAll(List.of("--server", server));
        }
        int n = RUNS.incrementAndGet();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("SPINDLE_URL");
            builder.environment().remove("SPINDLE_DEBUG");
            return new CliProcess(String.join(" ", args), builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CLI", e);
        }
    }

    /** A CLI process on its way; its stdout and stderr go to files (no pipe to drain). */
    private record CliProcess(String args, Process process, Path out, Path err) {
        CliRun await() {
            try {
                if (!process.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("spindle " + args + " did not end within " + CLI_TIMEOUT + "; stderr: "
                            + Files.readString(err));
                }
                return new CliRun(args, process.exitValue(), Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** How one CLI run ended. */
    private record CliRun(String args, int exit, String out, String err) {
        void assertExit(int expected) {
            assertEquals(expected, exit, this::describe);
        }

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + describe(), e);
            }
        }

        String describe() {
            return "spindle " + args + " exited " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }
}
