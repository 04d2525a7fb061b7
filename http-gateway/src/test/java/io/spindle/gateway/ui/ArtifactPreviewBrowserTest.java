package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Artifacts made by the real runtimes, previewed in a real browser: an ImageMagick picture shows at the size
 * asked for, an ffmpeg video loads and reports its duration, and a thumbnail's lineage names the video it was cut
 * from (and the video's page names the thumbnail as its child). A case whose engine this machine lacks is skipped.
 */
class ArtifactPreviewBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A runtime job: the first one also starts the worker's JVM. */
    private static final Duration RUN = Duration.ofSeconds(90);
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
    void aGeneratedImageIsShownAtTheSizeAskedFor() throws Exception {
        assumeRuntime(DashboardNode.IMAGE_CONFIG);
        String id = client.submit(DashboardNode.IMAGE_CONFIG, "image.generate",
                "{\"prompt\": \"a heron at dawn\", \"seed\": 7, \"width\": 320, \"height\": 200, \"caption\": \"Spindle\"}", 1);
        JsonNode artifact = onlyArtifact(id);

        browser.get(node.openUrl() + "/ui/#/jobs/" + id);
        WebElement img = waitFor(By.cssSelector("[data-artifact-id='" + artifact.get("id").asText() + "'] .preview img"));
        long width = new WebDriverWait(browser, WAIT).until(d -> {
            Object loaded = browser.executeScript("const i = arguments[0]; return i.complete && i.naturalWidth > 0 ? i.naturalWidth : null;", img);
            return loaded == null ? null : ((Number) loaded).longValue();
        });
        assertEquals(320, width, "the <img> loaded the PNG the worker drew");
        assertEquals(artifact.get("sha256").asText(),
                browser.findElement(By.cssSelector("[data-artifact-id='" + artifact.get("id").asText() + "'] [data-field='sha256']")).getText());
        assertTrue(img.getAttribute("alt").contains("image"), "the preview has a text alternative");
        HeadlessChromium.screenshot(browser, "job-image", browser.findElement(By.id("artifacts-title")));
    }

    @Test
    void aRenderedVideoLoadsAndReportsItsDuration() throws Exception {
        assumeRuntime(DashboardNode.VIDEO_CONFIG);
        String id = renderVideo();
        JsonNode artifact = onlyArtifact(id);

        browser.get(node.openUrl() + "/ui/#/jobs/" + id);
        WebElement video = waitFor(By.cssSelector("[data-artifact-id='" + artifact.get("id").asText() + "'] .preview video"));
        double duration = new WebDriverWait(browser, WAIT).until(d -> {
            Object value = browser.executeScript("const v = arguments[0]; return v.readyState >= 1 ? v.duration : null;", video);
            return value == null ? null : ((Number) value).doubleValue();
        });
        assertEquals(2.0, duration, 0.1, "the <video> element loaded the clip's metadata");
        HeadlessChromium.screenshot(browser, "job-video", browser.findElement(By.id("artifacts-title")));
    }

    @Test
    void aThumbnailsLineageNamesTheVideoItWasCutFrom() throws Exception {
        assumeRuntime(DashboardNode.VIDEO_CONFIG);
        String renderJob = renderVideo();
        String videoId = onlyArtifact(renderJob).get("id").asText();
        String thumbnailJob = client.submit(DashboardNode.VIDEO_CONFIG, "video.thumbnail",
                "{\"video\": {\"artifact_id\": \"" + videoId + "\"}, \"time_s\": 1, \"width\": 160}", 1);
        String thumbnailId = onlyArtifact(thumbnailJob).get("id").asText();

        browser.get(node.openUrl() + "/ui/#/jobs/" + thumbnailJob);
        WebElement parent = waitFor(By.cssSelector("#job-lineage [data-field='lineage-parents'] li[data-parent-id='" + videoId + "']"));
        assertTrue(parent.getText().contains("video/mp4"), parent.getText());
        assertEquals(1, parent.findElements(By.cssSelector("a[href='#/jobs/" + renderJob + "']")).size(), "links the job that made the video");
        waitFor(By.cssSelector("[data-artifact-id='" + thumbnailId + "'] [data-field='parents'] a[href='#/artifacts/" + videoId + "']"));
        HeadlessChromium.screenshot(browser, "job-lineage", browser.findElement(By.id("artifacts-title")));

        parent.findElement(By.cssSelector("a[href='#/artifacts/" + videoId + "']")).click();
        WebElement child = waitFor(By.cssSelector("#artifact-lineage [data-field='lineage-children'] li[data-child-id='" + thumbnailId + "']"));
        assertEquals(1, child.findElements(By.cssSelector("a[href='#/jobs/" + thumbnailJob + "']")).size());
        waitFor(By.cssSelector("#artifact-lineage [data-field='lineage-job'] a[href='#/jobs/" + renderJob + "']"));
        waitFor(By.cssSelector("#artifact-card [data-artifact-id='" + videoId + "'] video"));
        HeadlessChromium.screenshot(browser, "artifact");
    }

    private static void assumeRuntime(String configId) {
        node.missingRuntime(configId).ifPresent(why -> assumeTrue(false, configId + " is not hosted: " + why));
    }

    /** A two-second procedural clip, mp4 (H.264) as the runtime writes by default. */
    private static String renderVideo() throws Exception {
        return client.submit(DashboardNode.VIDEO_CONFIG, "video.render",
                "{\"prompt\": \"hello dashboard\", \"seed\": 3, \"width\": 320, \"height\": 180, \"duration_s\": 2, \"fps\": 10}", 1);
    }

    /** Waits for the job to succeed and answers its one artifact. */
    private static JsonNode onlyArtifact(String jobId) throws Exception {
        client.awaitStatus(jobId, "succeeded", RUN);
        JsonNode artifacts = client.get("/jobs/" + jobId + "/artifacts").get("artifacts");
        assertEquals(1, artifacts.size(), artifacts.toString());
        return artifacts.get(0);
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }
}
