package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.model.artifact.Artifact;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless chromium) against a real node: jobs submitted through the API
 * appear and change status without a reload, a job's timeline and artifacts show (JSON rendered, a WAV
 * playable), a queued job is canceled from the page, the cluster page lists the node, and with an API token
 * nothing loads until it is given. Each page's screenshot lands in target/ui-screenshots.
 */
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DashboardNode node;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver at /usr/bin: apt-get install -y chromium chromium-driver");
        node = DashboardNode.start();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void noScriptFailedAndTheContentSecurityPolicyBlockedNothing() {
        assertEquals(List.of(), HeadlessChromium.scriptProblems(browser));
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
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + "/ui")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElseThrow());
        HttpResponse<String> module = HTTP.send(HttpRequest.newBuilder(URI.create(node.guardedUrl() + "/ui/js/main.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, module.statusCode(), "static files need no token: they hold no data");
        assertTrue(module.headers().firstValue("Content-Type").orElseThrow().contains("javascript"));
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + "/ui/js/nope.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        HttpResponse<String> escape = HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + "/ui/..%2Freference.conf")).build(),
                HttpResponse.BodyHandlers.ofString());
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
        String body = "{\"type\": \"" + type + "\", \"config_id\": \"" + DashboardNode.CONFIG + "\", \"input\": " + input
                + ", \"max_attempts\": " + maxAttempts + "}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void post(String path) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static void patch(String path, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(node.openUrl() + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void awaitStatus(String id, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = api("/jobs/" + id).get("status").asText();
            if (seen.equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + id + " still " + seen + ", expected " + status);
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
