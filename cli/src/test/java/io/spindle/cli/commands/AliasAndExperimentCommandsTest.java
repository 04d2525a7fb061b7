package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.model.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spindle alias …} and {@code spindle experiment …} against the real gateway routes and entities (see
 * {@link RealGateway}; its stand-in worker gives every {@code eval.*} job its input's {@code value} as the score).
 */
class AliasAndExperimentCommandsTest {
    private static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(20);
    private static final String SPEC = """
            {"id": "exp-cli", "description": "b against a",
             "selection": {"alias": "echo-prod", "type": "cpu.echo"},
             "baseline": false,
             "candidates": [{"name": "b", "config_id": "echo-b"}],
             "scorers": [{"name": "q", "type": "eval.const", "config_id": "eval-x", "metric": "q", "direction": "higher",
                          "input": {"value": 0.5, "of": "${arm.job_id}"}}],
             "budget": {"max_jobs": 50, "max_concurrent": 2}}""";
    private static RealGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new RealGateway();
        gateway.config("echo-a", "cpu.echo");
        gateway.config("echo-b", "cpu.echo");
        gateway.config("eval-x", "eval.const");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Cli.Result cli(String... args) {
        return Cli.against(gateway.uri(), args);
    }

    private static void assertLine(String out, String regex) {
        assertTrue(out.lines().anyMatch(Pattern.compile(regex).asMatchPredicate()), () -> "no line matching " + regex + " in:\n" + out);
    }

    /** A call the commands under test do not make (submitting to an alias, saving a gate), straight over HTTP. */
    private static JsonNode http(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() < 300, () -> method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            return ApiJson.parse(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode awaitCompleted(String id) {
        long deadline = System.nanoTime() + EXPERIMENT_TIMEOUT.toNanos();
        while (true) {
            JsonNode e = ApiJson.parse(cli("experiment", "status", id, "--json").assertOk().out());
            if ("completed".equals(e.get("status").asText())) {
                return e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("experiment " + id + " not completed: " + e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
        }
    }

    @Test
    void anExperimentIsCreatedReportedRescoredAndItsAliasPromotedAndRolledBack() {
        Cli.Result created = cli("alias", "create", "echo-prod", "--config", "echo-a", "--actor", "ana", "--reason", "launch").assertOk();
        assertLine(created.out(), "target:\\s+echo-a v1");
        for (int i = 0; i < 3; i++) {
            http("POST", "/jobs", Json.object().put("type", "cpu.echo").put("alias", "echo-prod").put("idempotency_key", "live-" + i)
                    .set("input", Json.object().put("n", i)));
        }
        awaitSucceededOn("echo-a", 3);

        Cli.Result plan = cli("experiment", "create", "--spec", SPEC, "--dry-run").assertOk();
        assertLine(plan.out(), "sources:\\s+3");
        assertLine(plan.out(), "jobs:\\s+9 of at most 50"); // 3 replays, 6 scores (original and b)
        Cli.Result create = cli("experiment", "create", "--spec", SPEC).assertOk();
        assertLine(create.out(), "experiment:\\s+exp-cli");
        assertLine(create.out(), "arms:\\s+original, b \\(echo-b v1\\)");

        JsonNode done = awaitCompleted("exp-cli");
        assertEquals(List.of(3, 6), List.of(done.get("replays_done").asInt(), done.get("scores_done").asInt()), done::toString);
        Cli.Result status = cli("experiment", "status", "exp-cli").assertOk();
        assertLine(status.out(), "status:\\s+completed");
        assertLine(status.out(), "replays:\\s+3 done, 0 pending");

        Cli.Result report = cli("experiment", "report", "exp-cli").assertOk();
        assertLine(report.out(), "experiment exp-cli: completed, 3 sources, 0 jobs pending");
        assertLine(report.out(), "q \\(higher\\)\\s+original → b\\s+3\\s+0\\.5000 → 0\\.5000\\s+0\\.000 \\[0\\.000, 0\\.000]\\s+0/3/0\\s+0\\.5000 \\[.*]");
        assertLine(report.out(), "b\\s+3\\s+0\\s+0\\.000\\s+.*");
        assertEquals(3, ApiJson.parse(cli("experiment", "report", "exp-cli", "--json").assertOk().out())
                .get("comparisons").get(0).get("comparison").get("n").asInt());

        // A rescore adds scorer jobs over the same outputs: no replay runs again.
        Cli.Result rescored = cli("experiment", "rescore", "exp-cli", "--scorers", """
                [{"name": "q2", "type": "eval.const", "config_id": "eval-x", "metric": "q2", "direction": "lower",
                  "input": {"value": 1, "of": "${arm.job_id}"}}]""").assertOk();
        assertLine(rescored.out(), "scorers:\\s+q \\(eval.const\\), q2 \\(eval.const\\)");
        JsonNode after = awaitCompleted("exp-cli");
        assertEquals(List.of(3, 12), List.of(after.get("replays_done").asInt(), after.get("scores_done").asInt()), after::toString);
        awaitSucceededOn("echo-b", 3);
        assertEquals(3, http("GET", "/jobs?config_id=echo-b", null).get("jobs").size(), "three replays, none repeated");

        http("POST", "/gates", ApiJson.parse("""
                {"name": "no-worse", "min_pairs": 3, "criteria": [{"kind": "non_inferiority", "metric": "q", "margin": 0.1}]}"""));
        Cli.Result uncited = cli("alias", "promote", "echo-prod", "--config", "echo-b");
        assertEquals(ExitCodes.USAGE, uncited.exitCode(), uncited.err());
        Cli.Result promoted = cli("alias", "promote", "echo-prod", "--config", "echo-b", "--experiment", "exp-cli", "--gate", "no-worse",
                "--actor", "ben", "--reason", "gate passed").assertOk();
        assertLine(promoted.out(), "target:\\s+echo-b v1");
        assertLine(promoted.out(), "rollback to:\\s+echo-a v1");
        assertLine(promoted.out(), "evidence:\\s+exp-cli/no-worse: pass \\(arm b\\)");

        Cli.Result back = cli("alias", "rollback", "echo-prod", "--actor", "ben", "--reason", "complaints").assertOk();
        assertLine(back.out(), "target:\\s+echo-a v1");
        assertEquals("echo-a", ApiJson.parse(cli("alias", "show", "echo-prod", "--json").assertOk().out())
                .get("target").get("config_id").asText());

        Cli.Result history = cli("alias", "history", "echo-prod").assertOk();
        List<String> lines = history.out().lines().toList();
        assertEquals(4, lines.size(), history.out());
        assertTrue(lines.get(0).matches("AT\\s+CHANGE\\s+FROM\\s+TO\\s+BY\\s+EVIDENCE\\s+REASON"), lines.get(0));
        assertTrue(lines.get(1).matches("\\S+\\s+created\\s+-\\s+echo-a v1\\s+ana\\s+-\\s+launch"), lines.get(1));
        assertTrue(lines.get(2).matches("\\S+\\s+promoted\\s+echo-a v1\\s+echo-b v1\\s+ben\\s+exp-cli/no-worse: pass \\(arm b\\)\\s+gate passed"),
                lines.get(2));
        assertTrue(lines.get(3).matches("\\S+\\s+rolled_back\\s+echo-b v1\\s+echo-a v1\\s+ben\\s+-\\s+complaints"), lines.get(3));
        String promotedAt = lines.get(2).split("\\s+")[0];
        assertLine(cli("alias", "history", "echo-prod", "--at", promotedAt).assertOk().out(), "at .* echo-prod served echo-b v1");
    }

    @Test
    void unknownAliasesAndExperimentsAreNotFound() {
        cli("alias", "show", "nobody").assertFailed(ExitCodes.NOT_FOUND);
        cli("experiment", "status", "nothing").assertFailed(ExitCodes.NOT_FOUND);
        cli("experiment", "rescore", "nothing", "--scorers", "{}").assertFailed(ExitCodes.USAGE);
    }

    private static void awaitSucceededOn(String configId, int n) {
        long deadline = System.nanoTime() + EXPERIMENT_TIMEOUT.toNanos();
        while (true) {
            JsonNode page = http("GET", "/jobs?status=succeeded&config_id=" + configId, null);
            if (page.get("jobs").size() >= n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(n + " jobs on " + configId + " not succeeded: " + page);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
        }
    }
}
