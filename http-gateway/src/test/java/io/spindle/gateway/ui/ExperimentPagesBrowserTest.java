package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The aliases and experiments pages in a real browser against a real node: an experiment of espeak-ng against flite,
 * scored by duration, shows its report with an interval drawn per arm pair, its outputs side by side (both clips
 * playable) worst regression first, and a gate's verdict; a replay's job page links its experiment and source job;
 * an alias is force-promoted and rolled back with the page's buttons and its history shows each step.
 */
class ExperimentPagesBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** An experiment's replays and scores: the first job of each runtime also starts its worker's JVM. */
    private static final Duration RUN = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final String EXPERIMENT = "ui-tts";
    private static final List<String> TEXTS = List.of("Hello from the dashboard.", "A heron waits at dawn by the river.",
            "Spindle replays jobs against other configs.");
    @RegisterExtension
    static final DashboardSession SESSION = new DashboardSession();
    private static DashboardNode node;
    private static DashboardApi client;
    private static ChromeDriver browser;

    @BeforeAll
    static void session() {
        node = SESSION.node();
        client = SESSION.client();
        browser = SESSION.browser();
    }

    @Test
    void anExperimentShowsItsReportWithIntervalsAndItsOutputsSideBySide() throws Exception {
        for (String config : List.of(DashboardNode.TTS_CONFIG, DashboardNode.TTS_CANDIDATE_CONFIG, DashboardNode.EVAL_CONFIG)) {
            node.missingRuntime(config).ifPresent(why -> assumeTrue(false, config + " is not hosted: " + why));
        }
        List<String> sources = new ArrayList<>();
        for (String text : TEXTS) {
            sources.add(client.submitBody("{\"type\": \"audio.tts\", \"config_id\": \"" + DashboardNode.TTS_CONFIG + "\", \"input\": {\"text\": \""
                    + text + "\"}, \"labels\": {\"set\": \"ui-experiment\"}}"));
        }
        for (String id : sources) {
            client.awaitStatus(id, "succeeded", RUN);
        }
        // An experiment selects from the read model, which follows the journal a moment later.
        awaitUntil(() -> client.get("/jobs?status=succeeded&label=set:ui-experiment").get("jobs").size() == TEXTS.size(), "the sources in the read model");
        client.send("POST", "/experiments", """
                {"id": "%s", "description": "espeak-ng against flite", "selection": {"config_id": "%s", "labels": {"set": "ui-experiment"}},
                 "candidates": [{"name": "flite", "config_id": "%s"}],
                 "scorers": [{"name": "duration", "type": "eval.duration_deviation", "config_id": "%s", "metric": "duration_deviation",
                              "direction": "lower", "input": {"value": "${arm.outputs.duration_ms}", "reference": "${original.outputs.duration_ms}"}}],
                 "budget": {"max_concurrent": 6}}
                """.formatted(EXPERIMENT, DashboardNode.TTS_CONFIG, DashboardNode.TTS_CANDIDATE_CONFIG, DashboardNode.EVAL_CONFIG), 201);
        client.send("POST", "/gates", """
                {"name": "ui-duration", "min_pairs": 3, "criteria": [{"kind": "non_inferiority", "metric": "duration_deviation", "margin": 0.05}]}
                """, 201);

        open("/ui/#/experiments/" + EXPERIMENT);
        waitFor(By.cssSelector("#experiment-progress-body tr[data-arm='flite']"));
        awaitCompleted();
        // The page polls until it shows the experiment completed, and then draws no more.
        waitFor(By.cssSelector("#experiment-summary [data-field='status'] .experiment-completed"));
        // Three arms make three pairs, each drawn with its interval and its point.
        WebElement chart = waitFor(By.cssSelector("svg.intervals[data-metric='duration_deviation']"));
        new WebDriverWait(browser, WAIT).until(d -> chart.findElements(By.cssSelector("g.interval-row circle.point")).size() == 3);
        assertEquals(9, chart.findElements(By.cssSelector("g.interval-row line.ci")).size(), "a bar and two whiskers per pair");
        assertEquals(1, chart.findElements(By.cssSelector("line.zero")).size());
        assertTrue(chart.getAttribute("aria-label").contains("n=3"), chart.getAttribute("aria-label"));
        assertEquals("3", browser.findElement(By.cssSelector(".report-table tr[data-pair='flite-original'] [data-field='n']")).getText());
        HeadlessChromium.screenshot(browser, "experiment", browser.findElement(By.id("report-title")));

        List<WebElement> rows = waitForCount(By.cssSelector("#side-by-side-rows article.pair"), TEXTS.size());
        List<Double> deltas = new ArrayList<>();
        for (WebElement row : rows) {
            String text = row.findElement(By.cssSelector("[data-field='delta']")).getText();
            deltas.add(Double.parseDouble(text.substring(text.lastIndexOf(' ') + 1)));
        }
        // duration_deviation: lower is better, so the worst regression is the largest delta, shown first.
        List<Double> sorted = new ArrayList<>(deltas);
        sorted.sort((a, b) -> Double.compare(b, a));
        assertEquals(sorted, deltas, "rows sorted worst regression first");
        WebElement first = rows.get(0);
        assertFalse(first.getText().contains("null"), "no missing value shows as text: " + first.getText());
        for (String arm : List.of("original", "baseline", "flite")) {
            WebElement audio = first.findElement(By.cssSelector(".arm-output[data-arm='" + arm + "'] audio"));
            double duration = new WebDriverWait(browser, WAIT).until(d -> {
                Object value = browser.executeScript("const a = arguments[0]; return a.readyState >= 1 ? a.duration : null;", audio);
                return value == null ? null : ((Number) value).doubleValue();
            });
            assertTrue(duration > 0.3, arm + " clip plays, " + duration + " s");
        }
        HeadlessChromium.screenshot(browser, "experiment-side-by-side", browser.findElement(By.id("sbs-title")));

        browser.findElement(By.id("gate-name")).sendKeys("ui-duration");
        browser.findElement(By.id("evaluate-gate")).click();
        WebElement verdict = waitFor(By.cssSelector("#gate-result [data-verdict]"));
        assertTrue(List.of("pass", "fail", "inconclusive").contains(verdict.getAttribute("data-verdict")), verdict.getText());
        assertEquals(List.of(), Accessibility.unlabeledControls(browser), "experiment page");
        assertEquals(List.of(), Accessibility.lowContrastText(browser), "experiment page");

        String replay = first.findElement(By.cssSelector(".arm-output[data-arm='flite'] a[href^='#/jobs/']")).getText();
        String source = first.getAttribute("data-source");
        open("/ui/#/jobs/" + replay);
        waitFor(By.cssSelector("#job-summary a[data-field='origin-experiment'][href='#/experiments/" + EXPERIMENT + "']"));
        waitFor(By.cssSelector("#job-summary a[data-field='origin-source'][href='#/jobs/" + source + "']"));

        open("/ui/#/experiments");
        waitFor(By.cssSelector("#experiments-body tr[data-experiment='" + EXPERIMENT + "'][data-status='completed']"));
        HeadlessChromium.screenshot(browser, "experiments");
    }

    @Test
    void anAliasIsForcePromotedAndRolledBackFromTheUi() throws Exception {
        client.send("PUT", "/aliases/ui-prod", "{\"config_id\": \"" + DashboardNode.CONFIG + "\", \"version\": 1, \"reason\": \"launch\"}", 201);
        JsonNode v2 = client.send("PATCH", "/configs/" + DashboardNode.CONFIG, "{\"version_label\": \"ui-v2\"}", 200);
        assertEquals(2, v2.get("version").asInt());

        open("/ui/#/aliases/ui-prod");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#alias-summary [data-field='target']"), DashboardNode.CONFIG + " version 1"));
        new WebDriverWait(browser, WAIT).until(d -> browser.findElements(By.cssSelector("#promote-version option")).size() == 2);
        new Select(browser.findElement(By.id("promote-version"))).selectByValue("2");
        // Without a gate (or force) the API refuses, and the page says so.
        browser.findElement(By.id("promote-alias")).click();
        waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.error"), "refused"));

        browser.findElement(By.id("promote-force")).click();
        browser.findElement(By.id("promote-reason")).sendKeys("hotfix from the dashboard");
        browser.findElement(By.id("promote-alias")).click();
        WebElement confirm = waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']"));
        assertTrue(browser.findElement(By.cssSelector("dialog[open]")).getText().contains("forced"));
        HeadlessChromium.screenshot(browser, "alias-promote-confirmation");
        confirm.click();
        waitFor(By.cssSelector("#alias-history-body tr[data-kind='promoted'][data-forced='true'] .badge.forced"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#alias-summary [data-field='target']"), DashboardNode.CONFIG + " version 2"));

        waitFor(By.id("rollback-alias")).click();
        waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']")).click();
        waitFor(By.cssSelector("#alias-history-body tr[data-kind='rolled_back']"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#alias-summary [data-field='target']"), DashboardNode.CONFIG + " version 1"));
        HeadlessChromium.screenshot(browser, "alias");

        JsonNode history = client.get("/aliases/ui-prod/history").get("history");
        List<String> kinds = new ArrayList<>();
        history.forEach(c -> kinds.add(c.get("kind").asText() + (c.get("forced").asBoolean() ? " forced" : "")));
        assertEquals(List.of("created", "promoted forced", "rolled_back"), kinds);
        assertEquals("hotfix from the dashboard", history.get(1).get("reason").asText());
        assertEquals(List.of(), Accessibility.unlabeledControls(browser), "alias page");
        assertEquals(List.of(), Accessibility.lowContrastText(browser), "alias page");

        open("/ui/#/aliases");
        waitFor(By.cssSelector("#aliases-body tr[data-alias='ui-prod']"));
        open("/ui/#/configs");
        waitFor(By.cssSelector("#configs-body tr[data-config='" + DashboardNode.CONFIG + "'] [data-field='aliases'] a[href='#/aliases/ui-prod']"));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + RUN.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError("not within " + RUN + ": " + what);
    }

    private static void awaitCompleted() throws Exception {
        awaitUntil(() -> client.get("/experiments/" + EXPERIMENT).get("status").asText().equals("completed"),
                "experiment completed: " + client.get("/experiments/" + EXPERIMENT + "/report"));
    }

    private void open(String path) {
        browser.get(node.openUrl() + path);
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private List<WebElement> waitForCount(By locator, int count) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> found = browser.findElements(locator);
            return found.size() == count ? found : null;
        });
    }
}
