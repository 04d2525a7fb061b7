package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.artifact.Artifact;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless chromium) against a real node: jobs submitted through the API
 * appear and change status without a reload, a job's timeline and artifacts show (JSON rendered, a WAV
 * playable), a queued job is canceled from the page, the cluster page lists the node, and with an API token
 * nothing loads until it is given; jobs filter by label and time; every control has a label, text keeps its
 * contrast and the pages are reached by keyboard. Each page's screenshot lands in target/ui-screenshots.
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
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
    void submittedJobsAppearAndChangeStatusWithoutAReload() throws Exception {
        open("/ui/#/jobs");
        // A page reload would drop this marker.
        browser.executeScript("window.spindleNoReload = true");
        String id = submit("cpu.sleep", "{\"duration_ms\": 5000}");

        WebElement row = waitFor(By.cssSelector("tr[data-job-id='" + id + "']"));
        assertTrue(List.of("queued", "leased", "running").contains(row.getAttribute("data-status")),
                "first seen unfinished, was " + row.getAttribute("data-status"));
        waitFor(By.cssSelector("tr[data-job-id='" + id + "'][data-status='succeeded']"));
        new WebDriverWait(browser, WAIT).until(d -> !browser.findElements(By.cssSelector("#counts [data-status='succeeded'] .n")).isEmpty()
                && Integer.parseInt(browser.findElement(By.cssSelector("#counts [data-status='succeeded'] .n")).getText()) >= 1);
        assertEquals(Boolean.TRUE, browser.executeScript("return window.spindleNoReload === true"), "the page was never reloaded");
        HeadlessChromium.screenshot(browser, "jobs");
    }

    @Test
    void jobsAreFilteredByLabelAndByTime() throws Exception {
        String tagged = client.submitBody("{\"type\": \"cpu.echo\", \"config_id\": \"" + DashboardNode.CONFIG
                + "\", \"input\": {}, \"labels\": {\"team\": \"ui-filter\"}}");
        String other = submit("cpu.echo", "{}");
        JsonNode taggedJob = client.awaitStatus(tagged, "succeeded", WAIT);
        awaitStatus(other, "succeeded");

        open("/ui/#/jobs");
        waitFor(By.cssSelector("tr[data-job-id='" + other + "']"));
        waitFor(By.id("f-label")).sendKeys("team:ui-filter");
        browser.findElement(By.cssSelector("form.filters button[type='submit']")).click();
        new WebDriverWait(browser, WAIT).until(d -> browser.findElements(By.cssSelector("tr[data-job-id='" + other + "']")).isEmpty());
        assertEquals(1, browser.findElements(By.cssSelector("#jobs-body tr")).size());
        waitFor(By.cssSelector("tr[data-job-id='" + tagged + "']"));
        HeadlessChromium.screenshot(browser, "jobs-filtered");

        Instant created = Instant.parse(taggedJob.get("created_at").asText());
        open("/ui/#/jobs?label=team:ui-filter&until=" + created.truncatedTo(ChronoUnit.SECONDS));
        assertTrue(waitFor(By.id("f-since")).isDisplayed(), "a time range shows its From / To fields");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".page-info"), "no jobs match"));
        open("/ui/#/jobs?label=team:ui-filter&since=" + created.truncatedTo(ChronoUnit.SECONDS));
        waitFor(By.cssSelector("tr[data-job-id='" + tagged + "']"));
    }

    @Test
    void everyFormControlIsLabelledAndTextKeepsItsContrast() throws Exception {
        String id = submit("cpu.echo", "{\"checked\": \"for accessibility\"}");
        awaitStatus(id, "succeeded");
        client.send("PUT", "/aliases/ui-a11y", "{\"config_id\": \"" + DashboardNode.CONFIG + "\"}", 201);
        for (String page : List.of("/ui/#/jobs", "/ui/#/jobs/" + id, "/ui/#/cluster", "/ui/#/configs", "/ui/#/metrics", "/ui/#/aliases",
                "/ui/#/aliases/ui-a11y", "/ui/#/experiments")) {
            open(page);
            waitFor(By.cssSelector("main h1"));
            // Each page fills in from the API: wait until its data is there.
            new WebDriverWait(browser, WAIT).until(d -> browser.findElements(By.cssSelector("main .muted, main table tbody tr, main svg, main dl dd")).size() > 0);
            if (page.contains(id)) {
                waitFor(By.cssSelector("#job-artifacts pre.artifact-text"));
            }
            assertEquals(List.of(), Accessibility.unlabeledControls(browser), page);
            assertEquals(List.of(), Accessibility.lowContrastText(browser), page);
        }
        browser.get(node.guardedUrl() + "/ui/#/jobs");
        waitFor(By.id("token"));
        assertEquals(List.of(), Accessibility.unlabeledControls(browser), "sign-in");
        assertEquals(List.of(), Accessibility.lowContrastText(browser), "sign-in");
    }

    @Test
    void theMainViewsAreReachedByKeyboard() throws Exception {
        open("/ui/#/jobs");
        // A fresh load, as when the user opens the dashboard: focus starts at the top of the document.
        browser.navigate().refresh();
        waitFor(By.id("jobs-table"));
        Actions keys = new Actions(browser);
        keys.sendKeys(Keys.TAB).perform();
        assertEquals("skip", browser.switchTo().activeElement().getAttribute("id"), "the first Tab lands on the skip link");
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.sendKeys(Keys.TAB).perform();
            WebElement focused = browser.switchTo().activeElement();
            assertTrue(focused.findElements(By.xpath("ancestor::nav")).size() == 1, "Tab stays in the page nav, not on " + focused.getText());
            reached.add(focused.getText());
        }
        assertEquals(List.of("Jobs", "Cluster", "Configs", "Aliases", "Experiments", "Metrics"), reached);

        keys.keyDown(Keys.SHIFT).sendKeys(Keys.TAB).sendKeys(Keys.TAB).sendKeys(Keys.TAB).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertEquals("Cluster", browser.switchTo().activeElement().getText());
        keys.sendKeys(Keys.ENTER).perform();
        waitFor(By.cssSelector("#nodes-body tr[data-node='" + DashboardNode.NODE_NAME + "']"));
        assertEquals("main", browser.switchTo().activeElement().getAttribute("id"), "the new page's content has the focus");
        assertEquals("page", browser.findElement(By.cssSelector("nav a[data-page='cluster']")).getAttribute("aria-current"));
    }

    @Test
    void jobPageShowsTheTimelineAndRendersTheJsonArtifact() throws Exception {
        String id = submit("cpu.echo", "{\"greeting\": \"hello dashboard\"}");
        awaitStatus(id, "succeeded");
        JsonNode artifact = api("/jobs/" + id + "/artifacts").get("artifacts").get(0);

        open("/ui/#/jobs/" + id);
        waitFor(By.cssSelector("#job-timeline li[data-event='submitted']"));
        waitFor(By.cssSelector("#job-timeline li[data-event='succeeded']"));
        WebElement preview = waitFor(By.cssSelector("[data-artifact-id='" + artifact.get("id").asText() + "'] pre.artifact-text"));
        assertTrue(preview.getText().contains("\"greeting\": \"hello dashboard\""), preview.getText());
        assertEquals(artifact.get("sha256").asText(),
                browser.findElement(By.cssSelector("[data-artifact-id='" + artifact.get("id").asText() + "'] [data-field='sha256']")).getText());
        assertTrue(browser.findElement(By.id("job-outputs")).getText().contains("hello dashboard"));
        HeadlessChromium.screenshot(browser, "job");
    }

    @Test
    void audioArtifactLoadsAndReportsItsDuration() throws Exception {
        String id = submit("cpu.noop", "{}");
        awaitStatus(id, "succeeded");
        Artifact wav = node.addArtifact(id, "audio", "audio/wav", "tone.wav", wav(1.0));

        open("/ui/#/jobs/" + id);
        WebElement audio = waitFor(By.cssSelector("[data-artifact-id='" + wav.id() + "'] audio"));
        double duration = new WebDriverWait(browser, WAIT).until(d -> {
            Object value = browser.executeScript("const a = arguments[0]; return a.readyState >= 1 ? a.duration : null;", audio);
            return value == null ? null : ((Number) value).doubleValue();
        });
        assertEquals(1.0, duration, 0.05, "the <audio> element loaded the WAV's metadata");
        HeadlessChromium.screenshot(browser, "job-audio");
    }

    @Test
    void withATokenTheAudioIsFetchedWithItAndStillPlays() throws Exception {
        String id = submit("cpu.noop", "{}");
        awaitStatus(id, "succeeded");
        Artifact wav = node.addArtifact(id, "audio", "audio/wav", "tone.wav", wav(0.5));
        try {
            browser.get(node.guardedUrl() + "/ui/#/jobs/" + id);
            waitFor(By.id("token")).sendKeys(DashboardNode.TOKEN);
            browser.findElement(By.cssSelector("form.login button[type='submit']")).click();

            WebElement audio = waitFor(By.cssSelector("[data-artifact-id='" + wav.id() + "'] audio"));
            assertTrue(audio.getAttribute("src").startsWith("blob:"), "an <audio> cannot send the token: its bytes come as a blob");
            double duration = new WebDriverWait(browser, WAIT).until(d -> {
                Object value = browser.executeScript("const a = arguments[0]; return a.readyState >= 1 ? a.duration : null;", audio);
                return value == null ? null : ((Number) value).doubleValue();
            });
            assertEquals(0.5, duration, 0.05);
        } finally {
            browser.executeScript("sessionStorage.clear()");
        }
    }

    @Test
    void aQueuedJobIsCanceledFromTheUi() throws Exception {
        // The one worker sleeps, so the next job stays queued.
        String sleeper = submit("cpu.sleep", "{\"duration_ms\": 30000}");
        awaitStatus(sleeper, "running");
        String queued = submit("cpu.echo", "{\"n\": 1}");
        try {
            open("/ui/#/jobs/" + queued);
            waitFor(By.cssSelector("#job-summary [data-field='status'] .status-queued"));
            waitFor(By.id("cancel-job")).click();
            WebElement confirm = waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']"));
            HeadlessChromium.screenshot(browser, "cancel-confirmation");
            confirm.click();
            waitFor(By.cssSelector("#job-summary [data-field='status'] .status-canceled"));
            assertEquals("canceled", api("/jobs/" + queued).get("status").asText());
            waitFor(By.cssSelector("#job-timeline li[data-event='canceled']"));
        } finally {
            post("/jobs/" + sleeper + "/cancel");
        }
    }

    @Test
    void aDeadLetteredJobIsRequeuedFromTheUi() throws Exception {
        String id = submit("cpu.fail", "{\"transient\": true, \"fail_attempts\": 1}", 1);
        awaitStatus(id, "dead_lettered");

        open("/ui/#/jobs/" + id);
        waitFor(By.id("requeue-job")).click();
        waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']")).click();
        waitFor(By.cssSelector("#job-timeline li[data-event='requeued']"));
        assertTrue(api("/jobs/" + id + "/events").toString().contains("\"requeued\""));
    }

    @Test
    void aConfigIsDeactivatedAndActivatedFromTheUi() throws Exception {
        String row = "#configs-body tr[data-config='" + DashboardNode.CONFIG + "']";
        try {
            open("/ui/#/configs");
            waitFor(By.cssSelector(row + " .row-actions button.danger")).click();
            waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.cssSelector(row + " [data-field='active']"), "no"));
            assertFalse(api("/configs/" + DashboardNode.CONFIG).get("is_active").asBoolean());

            waitFor(By.cssSelector(row + " .row-actions button:not([aria-expanded])")).click();
            waitFor(By.cssSelector("dialog[open] button[data-confirm='yes']")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.cssSelector(row + " [data-field='active']"), "yes"));
            assertTrue(api("/configs/" + DashboardNode.CONFIG).get("is_active").asBoolean());
        } finally {
            patch("/configs/" + DashboardNode.CONFIG, "{\"is_active\": true}");
        }
    }

    @Test
    void clusterPageListsTheNodeAndItsConfigs() throws Exception {
        open("/ui/#/cluster");
        WebElement nodeRow = waitFor(By.cssSelector("#nodes-body tr[data-node='" + DashboardNode.NODE_NAME + "']"));
        assertTrue(nodeRow.getText().contains(DashboardNode.CONFIG), nodeRow.getText());
        assertTrue(nodeRow.getText().contains("up"), nodeRow.getText());
        WebElement configRow = waitFor(By.cssSelector("#cluster-configs-body tr[data-config='" + DashboardNode.CONFIG + "']"));
        assertTrue(configRow.getText().contains(DashboardNode.NODE_NAME), configRow.getText());
        HeadlessChromium.screenshot(browser, "cluster");

        open("/ui/#/configs");
        waitFor(By.cssSelector("#configs-body tr[data-config='" + DashboardNode.CONFIG + "']"));
        HeadlessChromium.screenshot(browser, "configs");

        open("/ui/#/metrics");
        // Two readings of the counters make the first line of each chart.
        new WebDriverWait(browser, WAIT).until(d -> browser.findElements(By.cssSelector("#charts svg.chart polyline")).size() >= 4);
        HeadlessChromium.screenshot(browser, "metrics");
    }

    @Test
    void withAnApiTokenNothingLoadsUntilItIsGiven() throws Exception {
        try {
            browser.get(node.guardedUrl() + "/ui/#/jobs");
            WebElement token = waitFor(By.id("token"));
            assertTrue(browser.findElements(By.id("jobs-table")).isEmpty(), "no jobs table before the token");
            assertTrue(browser.findElements(By.cssSelector("#counts li")).isEmpty(), "no counts before the token");
            HeadlessChromium.screenshot(browser, "sign-in");

            token.sendKeys("not-the-token");
            browser.findElement(By.cssSelector("form.login button[type='submit']")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"), "did not accept"));
            assertTrue(browser.findElements(By.id("jobs-table")).isEmpty());

            WebElement field = browser.findElement(By.id("token"));
            field.clear();
            field.sendKeys(DashboardNode.TOKEN);
            browser.findElement(By.cssSelector("form.login button[type='submit']")).click();
            waitFor(By.id("jobs-table"));
            waitFor(By.cssSelector("#counts li[data-status='queued']"));
        } finally {
            browser.executeScript("sessionStorage.clear()");
        }
    }

    @Test
    void staticFilesCarryTheirTypeAndAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = client.raw(node.openUrl() + "/ui");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
        HttpResponse<String> module = client.raw(node.guardedUrl() + "/ui/js/main.js");
        assertEquals(200, module.statusCode(), "static files need no token: they hold no data");
        assertTrue(module.headers().firstValue("Content-Type").orElseThrow().contains("javascript"));
        HttpResponse<String> missing = client.raw(node.openUrl() + "/ui/js/nope.js");
        assertEquals(404, missing.statusCode());
        HttpResponse<String> escape = client.raw(node.openUrl() + "/ui/..%2Freference.conf");
        assertFalse(escape.body().contains("spindle.gateway"), "nothing outside the dashboard's folder is served");
    }

    private void open(String path) {
        browser.get(node.openUrl() + path);
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static String submit(String type, String input) throws Exception {
        return submit(type, input, 3);
    }

    private static String submit(String type, String input, int maxAttempts) throws Exception {
        return client.submit(DashboardNode.CONFIG, type, input, maxAttempts);
    }

    private static JsonNode api(String path) throws Exception {
        return client.get(path);
    }

    private static void post(String path) throws Exception {
        client.post(path);
    }

    private static void patch(String path, String body) throws Exception {
        client.patch(path, body);
    }

    private static void awaitStatus(String id, String status) throws Exception {
        client.awaitStatus(id, status, WAIT);
    }

    /** A mono 16-bit PCM WAV of a 440 Hz tone. */
    private static byte[] wav(double seconds) {
        int rate = 8000;
        int samples = (int) (rate * seconds);
        ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            pcm.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * 8000));
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(samples * 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(pcm.array());
        return out.toByteArray();
    }
}
