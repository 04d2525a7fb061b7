package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ffmpeg video shim against the real ffmpeg, through a real worker; inputs are files the test makes with ffmpeg
 * and hands over as the node would (artifact references with their path), outputs are checked with ffprobe.
 */
class FfmpegVideoTest {
    /** How far a container's duration may be from the one asked for (one frame at 10 fps, plus muxing slack). */
    private static final double DURATION_TOLERANCE_S = 0.15;
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;
    private Path inputs;

    @BeforeEach
    void inputsDir() throws IOException {
        LocalTtsTest.assumeEngine(FfmpegVideo.BACKEND);
        inputs = Files.createDirectories(dir.resolve("inputs"));
    }

    // ---- video.render --------------------------------------------------------------------------

    @Test
    void renderWritesAnMp4OfTheAskedSizeDurationAndFrameRateWithThePromptOnIt() throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            assertEquals(List.of("video.render", "video.transcode", "video.thumbnail", "video.slideshow"), bridge.hello.jobTypes());
            WorkerMessage.Result result = ok(bridge.run("video.render", ShimBridge.json("""
                    {"prompt": "a spinning test card", "pattern": "testsrc2", "seed": 42, "width": 320, "height": 240,
                     "duration_s": 2, "fps": 10}"""), FfmpegVideo.BACKEND, null, null));

            assertEquals(List.of(new ArtifactRef("video.mp4", "video", "video/mp4")), result.artifacts());
            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.mp4"));
            JsonNode video = onlyStream(probe, "video");
            assertEquals("h264", video.get("codec_name").asText());
            assertEquals(320, video.get("width").asInt());
            assertEquals(240, video.get("height").asInt());
            assertEquals("10/1", video.get("avg_frame_rate").asText());
            assertEquals(2.0, duration(probe), DURATION_TOLERANCE_S);
            assertTrue(streams(probe, "audio").isEmpty());
            assertEquals(2000, result.outputs().get("duration_ms").asLong(), DURATION_TOLERANCE_S * 1000);
            assertEquals(VideoFilters.has("drawtext"), result.outputs().get("text_overlay").asBoolean());
            assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mandelbrot", "life"})
    void everyPatternRenders(String pattern) throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            WorkerMessage.Result result = ok(bridge.run("video.render", ShimBridge.json("""
                    {"pattern": "%s", "seed": 7, "width": 128, "height": 96, "duration_s": 1, "fps": 10}""".formatted(pattern)),
                    FfmpegVideo.BACKEND, null, null));

            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.mp4"));
            assertEquals(128, onlyStream(probe, "video").get("width").asInt());
            assertEquals(1.0, duration(probe), DURATION_TOLERANCE_S);
            assertEquals(pattern, result.outputs().get("pattern").asText());
        }
    }

    @Test
    void renderRefusesOutOfBoundsSettingsNamingTheField() throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            assertRenderRefused(bridge, "{\"width\": 8}", Failures.INVALID_INPUT, "input.width");
            assertRenderRefused(bridge, "{\"width\": 101}", Failures.INVALID_INPUT, "input.width: must be even");
            assertRenderRefused(bridge, "{\"height\": 4000}", Failures.INVALID_INPUT, "input.height");
            assertRenderRefused(bridge, "{\"duration_s\": 0}", Failures.INVALID_INPUT, "input.duration_s");
            assertRenderRefused(bridge, "{\"duration_s\": 3600}", Failures.INVALID_INPUT, "input.duration_s");
            assertRenderRefused(bridge, "{\"fps\": 240}", Failures.INVALID_INPUT, "input.fps");
            assertRenderRefused(bridge, "{\"pattern\": \"plasma\"}", Failures.INVALID_INPUT, "input.pattern");
            assertRenderRefused(bridge, "{\"prompt\": 5}", Failures.INVALID_INPUT, "input.prompt");
            assertRenderRefused(bridge, "{\"format\": \"avi\"}", Failures.UNSUPPORTED_PARAMETER, "format");
            assertRenderRefused(bridge, "{\"codec\": \"vp9\"}", Failures.UNSUPPORTED_PARAMETER, "codec");
        }
    }

    // ---- video.thumbnail -----------------------------------------------------------------------

    @Test
    void thumbnailIsAPngOfTheFrameAtTheAskedTimeScaledToTheWidth() throws Exception {
        ObjectNode video = reference("art_clip", video("clip.mp4", 320, 240, 2, true), "video/mp4");
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            ObjectNode input = FrameCodec.mapper().createObjectNode().put("time_s", 1.5).put("width", 160);
            input.set("video", video);
            WorkerMessage.Result result = ok(bridge.run("video.thumbnail", input, FfmpegVideo.BACKEND, null, null));

            assertEquals(List.of(new ArtifactRef("thumbnail.png", "image", "image/png")), result.artifacts());
            Path png = bridge.scratch(result.jobId()).resolve("thumbnail.png");
            byte[] head = new byte[PNG_MAGIC.length];
            System.arraycopy(Files.readAllBytes(png), 0, head, 0, head.length);
            assertArrayEquals(PNG_MAGIC, head);
            JsonNode image = onlyStream(ffprobe(png), "video");
            assertEquals(160, image.get("width").asInt());
            assertEquals(120, image.get("height").asInt(), "the proportions are kept");
            assertEquals("art_clip", result.outputs().get("source").asText());
        }
    }

    @Test
    void thumbnailRefusesATimePastTheEndAMissingVideoAndAFileThatIsNoVideo() throws Exception {
        ObjectNode video = reference("art_clip", video("clip.mp4", 160, 120, 1, false), "video/mp4");
        ObjectNode text = reference("art_text", Files.writeString(inputs.resolve("notes.txt"), "not a video"), "text/plain");
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            ObjectNode late = FrameCodec.mapper().createObjectNode().put("time_s", 5);
            late.set("video", video);
            assertPermanent(bridge.run("video.thumbnail", late, FfmpegVideo.BACKEND, null, null), Failures.INVALID_INPUT, "input.time_s");
            assertPermanent(bridge.run("video.thumbnail", ShimBridge.json("{}"), FfmpegVideo.BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.video: required");
            ObjectNode notVideo = FrameCodec.mapper().createObjectNode();
            notVideo.set("video", text);
            WorkerMessage answer = bridge.run("video.thumbnail", notVideo, FfmpegVideo.BACKEND, null, null);
            assertPermanent(answer, Failures.INVALID_INPUT, "input.video");
            assertTrue(((WorkerMessage.Error) answer).message().contains("art_text"), answer.toString());
        }
    }

    // ---- video.transcode -----------------------------------------------------------------------

    @Test
    void transcodeChangesContainerCodecSizeAndFrameRate() throws Exception {
        ObjectNode video = reference("art_clip", video("clip.mp4", 320, 240, 1, false), "video/mp4");
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            ObjectNode input = FrameCodec.mapper().createObjectNode().put("format", "webm").put("codec", "vp8").put("width", 160)
                    .put("fps", 5);
            input.set("video", video);
            WorkerMessage.Result result = ok(bridge.run("video.transcode", input, FfmpegVideo.BACKEND, null, null));

            assertEquals(List.of(new ArtifactRef("video.webm", "video", "video/webm")), result.artifacts());
            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.webm"));
            JsonNode stream = onlyStream(probe, "video");
            assertEquals("vp8", stream.get("codec_name").asText());
            assertEquals(160, stream.get("width").asInt());
            assertEquals(120, stream.get("height").asInt());
            assertEquals("5/1", stream.get("avg_frame_rate").asText());
            assertEquals(1.0, duration(probe), 0.25);
        }
    }

    @Test
    void transcodeKeepsTheSoundTrack() throws Exception {
        ObjectNode video = reference("art_clip", video("clip.mp4", 160, 120, 1, true), "video/mp4");
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            ObjectNode input = FrameCodec.mapper().createObjectNode().put("height", 60);
            input.set("video", video);
            WorkerMessage.Result result = ok(bridge.run("video.transcode", input, FfmpegVideo.BACKEND, null, null));

            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.mp4"));
            assertEquals(80, onlyStream(probe, "video").get("width").asInt());
            assertEquals("aac", onlyStream(probe, "audio").get("codec_name").asText());
            assertTrue(result.outputs().get("has_audio").asBoolean());
        }
    }

    // ---- video.slideshow -----------------------------------------------------------------------

    @Test
    void aSlideshowWithAudioLastsAsLongAsTheAudioAndCarriesIt() throws Exception {
        ObjectNode input = FrameCodec.mapper().createObjectNode();
        ArrayNode images = input.putArray("images");
        images.add(reference("art_red", image("red.png", "red", 400, 300), "image/png"));
        images.add(reference("art_blue", image("blue.png", "blue", 200, 300), "image/png"));
        input.set("audio", reference("art_tone", tone("tone.wav", 3), "audio/wav"));
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            WorkerMessage.Result result = ok(bridge.run("video.slideshow", input, FfmpegVideo.BACKEND, null,
                    FrameCodec.mapper().createObjectNode().put("width", 320).put("height", 180)));

            assertEquals(List.of(new ArtifactRef("video.mp4", "video", "video/mp4")), result.artifacts());
            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.mp4"));
            JsonNode video = onlyStream(probe, "video");
            assertEquals(320, video.get("width").asInt(), "the config's params set the frame");
            assertEquals(180, video.get("height").asInt());
            assertEquals("aac", onlyStream(probe, "audio").get("codec_name").asText());
            assertEquals(3.0, duration(probe), DURATION_TOLERANCE_S);
            assertEquals(1.5, result.outputs().get("seconds_per_image").asDouble(), 1e-9);
        }
    }

    @Test
    void aSlideshowWithoutAudioShowsEachImageForTheAskedTime() throws Exception {
        ObjectNode input = FrameCodec.mapper().createObjectNode().put("seconds_per_image", 0.5).put("fps", 10);
        ArrayNode images = input.putArray("images");
        for (String color : List.of("red", "green", "blue")) {
            images.add(reference("art_" + color, image(color + ".png", color, 64, 64), "image/png"));
        }
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            WorkerMessage.Result result = ok(bridge.run("video.slideshow", input, FfmpegVideo.BACKEND, null, null));

            JsonNode probe = ffprobe(bridge.scratch(result.jobId()).resolve("video.mp4"));
            assertEquals(1.5, duration(probe), DURATION_TOLERANCE_S);
            assertTrue(streams(probe, "audio").isEmpty());
            assertEquals(640, onlyStream(probe, "video").get("width").asInt(), "the default frame");
        }
    }

    @Test
    void aSlideshowRefusesNoImagesAnImageThatIsNoneAndAudioWithoutSound() throws Exception {
        ObjectNode png = reference("art_red", image("red.png", "red", 64, 64), "image/png");
        ObjectNode text = reference("art_text", Files.writeString(inputs.resolve("notes.txt"), "words"), "text/plain");
        try (ShimBridge bridge = new ShimBridge(dir, FfmpegVideo.BACKEND)) {
            assertPermanent(bridge.run("video.slideshow", ShimBridge.json("{\"images\": []}"), FfmpegVideo.BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.images");
            ObjectNode notImage = FrameCodec.mapper().createObjectNode();
            notImage.putArray("images").add(png).add(text);
            assertPermanent(bridge.run("video.slideshow", notImage, FfmpegVideo.BACKEND, null, null), Failures.INVALID_INPUT,
                    "input.images[1]");
            ObjectNode silent = FrameCodec.mapper().createObjectNode();
            silent.putArray("images").add(png);
            silent.set("audio", png);
            assertPermanent(bridge.run("video.slideshow", silent, FfmpegVideo.BACKEND, null, null), Failures.INVALID_INPUT,
                    "input.audio");
            ObjectNode tooLong = FrameCodec.mapper().createObjectNode().put("seconds_per_image", 61);
            tooLong.putArray("images").add(png);
            assertPermanent(bridge.run("video.slideshow", tooLong, FfmpegVideo.BACKEND, null, null), Failures.INVALID_INPUT,
                    "input.seconds_per_image");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static WorkerMessage.Result ok(WorkerMessage answer) {
        return assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
    }

    private static void assertRenderRefused(ShimBridge bridge, String input, String code, String named) {
        assertPermanent(bridge.run("video.render", ShimBridge.json(input), FfmpegVideo.BACKEND, null, null), code, named);
    }

    /** An artifact reference as the node hands it over after fetching {@code file}. */
    private static ObjectNode reference(String id, Path file, String mime) throws IOException {
        return FrameCodec.mapper().createObjectNode().put(InputArtifact.ARTIFACT_ID, id).put(InputArtifact.PATH, file.toString())
                .put(InputArtifact.MIME, mime).put(InputArtifact.BYTES, Files.size(file));
    }

    private Path video(String name, int width, int height, int seconds, boolean withAudio) throws Exception {
        List<String> argv = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=10:duration=" + seconds));
        if (withAudio) {
            argv.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-c:a", "aac"));
        }
        argv.addAll(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p"));
        return ffmpeg(name, argv);
    }

    private Path image(String name, String color, int width, int height) throws Exception {
        return ffmpeg(name, List.of("-f", "lavfi", "-i", "color=c=" + color + ":size=" + width + "x" + height, "-frames:v", "1"));
    }

    private Path tone(String name, int seconds) throws Exception {
        return ffmpeg(name, List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds));
    }

    private Path ffmpeg(String name, List<String> args) throws Exception {
        Path file = inputs.resolve(name);
        List<String> argv = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        argv.addAll(args);
        argv.add(file.toString());
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "ffmpeg could not make the test input: " + output);
        return file;
    }

    static JsonNode ffprobe(Path file) throws Exception {
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries",
                "format=duration:stream=codec_type,codec_name,width,height,avg_frame_rate", "-of", "json", file.toString()).start();
        byte[] json = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "ffprobe cannot read " + file);
        return FrameCodec.mapper().readTree(json);
    }

    static List<JsonNode> streams(JsonNode probe, String type) {
        List<JsonNode> found = new ArrayList<>();
        probe.get("streams").forEach(s -> {
            if (type.equals(s.get("codec_type").asText())) {
                found.add(s);
            }
        });
        return found;
    }

    static JsonNode onlyStream(JsonNode probe, String type) {
        List<JsonNode> found = streams(probe, type);
        assertEquals(1, found.size(), "one " + type + " stream in " + probe);
        return found.get(0);
    }

    static double duration(JsonNode probe) {
        return probe.get("format").get("duration").asDouble();
    }
}
