package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.runtime.EspeakTts;
import io.spindle.bridge.runtime.FfmpegVideo;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Artifacts as inputs on a real dev node with real worker processes: {@code video.render} → {@code video.thumbnail}
 * of that video → {@code audio.tts} → {@code video.slideshow} of the thumbnail with the speech. The node fetches each
 * referenced artifact for the worker, and the outputs name their inputs as lineage parents.
 */
class VideoE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far the slideshow's length may be from the speech's (one frame at 25 fps, plus muxing slack). */
    private static final double DURATION_TOLERANCE_S = 0.2;

    @RegisterExtension
    final DevNode dev = DevNode.requiring(FfmpegVideo.BACKEND, EspeakTts.BACKEND);

    @Test
    void aRenderedVideosThumbnailAndSpeechBecomeASlideshowThatNamesThemAsParents() throws Exception {
        SpindleApi api = dev.startApi();
        assertTrue(dev.printed().contains("runtime ffmpeg: found, hosting config video-ffmpeg"), dev::printed);

        JsonNode render = succeeded(api, SpindleApi.spec("video.render", "video-ffmpeg", SpindleApi.object()
                .put("prompt", "Spindle").put("seed", 3).put("width", 320).put("height", 240).put("duration_s", 2).put("fps", 10)));
        String video = onlyArtifact(render);
        assertEquals("video/mp4", api.artifact(video).get("mime").asText());

        ObjectNode thumbnailInput = SpindleApi.object().put("time_s", 1);
        thumbnailInput.set("video", reference(video));
        JsonNode thumbnailJob = succeeded(api, SpindleApi.spec("video.thumbnail", "video-ffmpeg", thumbnailInput));
        String thumbnail = onlyArtifact(thumbnailJob);
        assertEquals("image/png", api.artifact(thumbnail).get("mime").asText());
        assertEquals(List.of(video), ids(api.artifact(thumbnail).get("parent_ids")));
        assertEquals(JSON.createObjectNode().put("artifact_id", video), thumbnailJob.get("input").get("video"),
                "the job's input is kept as submitted");

        JsonNode speechJob = succeeded(api, SpindleApi.spec("audio.tts", "tts-espeak",
                SpindleApi.object().put("text", "A thumbnail, and a voice over it.")));
        String speech = onlyArtifact(speechJob);
        double speechSeconds = speechJob.get("outputs").get("duration_ms").asLong() / 1000.0;

        ObjectNode slideshowInput = SpindleApi.object();
        slideshowInput.putArray("images").add(reference(thumbnail));
        slideshowInput.set("audio", reference(speech));
        String slideshow = onlyArtifact(succeeded(api, SpindleApi.spec("video.slideshow", "video-ffmpeg", slideshowInput)));

        JsonNode artifact = api.artifact(slideshow);
        assertEquals("video/mp4", artifact.get("mime").asText());
        assertEquals(List.of(thumbnail, speech), ids(artifact.get("parent_ids")));
        List<String> parents = new ArrayList<>();
        artifact.get("parents").forEach(p -> parents.add(p.get("id").asText()));
        assertEquals(List.of(thumbnail, speech), parents, "GET /artifacts/{id} shows the parents' metadata");
        HttpResponse<byte[]> bytes = api.artifactBytes(slideshow);
        assertEquals(200, bytes.statusCode());
        Path mp4 = Files.write(dev.dir().resolve("slideshow.mp4"), bytes.body());
        JsonNode probe = ffprobe(mp4);
        assertEquals(List.of("video", "audio"), streamTypes(probe));
        assertEquals(speechSeconds, probe.get("format").get("duration").asDouble(), DURATION_TOLERANCE_S);

        // A reference to an artifact that does not exist is refused at submit, naming where it is.
        ObjectNode dangling = SpindleApi.object();
        dangling.set("video", reference("art_000000000000000000000000"));
        SpindleApi.Response refused = api.submitOnce(SpindleApi.spec("video.thumbnail", "video-ffmpeg", dangling));
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("input.video.artifact_id") && refused.body().contains("art_000000000000000000000000"),
                refused.body());
    }

    private static JsonNode succeeded(SpindleApi api, ObjectNode spec) {
        JsonNode job = api.awaitTerminal(api.submit(spec).get("id").asText(), JOB_TIMEOUT);
        assertEquals("succeeded", job.get("status").asText(), job::toString);
        return job;
    }

    private static String onlyArtifact(JsonNode job) {
        assertEquals(1, job.get("artifact_ids").size(), job::toString);
        return job.get("artifact_ids").get(0).asText();
    }

    private static ObjectNode reference(String artifactId) {
        return JSON.createObjectNode().put("artifact_id", artifactId);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static List<String> streamTypes(JsonNode probe) {
        List<String> types = new ArrayList<>();
        probe.get("streams").forEach(s -> types.add(s.get("codec_type").asText()));
        return types;
    }

    private static JsonNode ffprobe(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type",
                "-of", "json", file.toString()).start();
        byte[] json = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "ffprobe cannot read the slideshow");
        return JSON.readTree(json);
    }
}
