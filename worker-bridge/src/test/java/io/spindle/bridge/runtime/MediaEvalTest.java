package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code media-eval} backend's image similarity with the real ffmpeg, on images the {@code imagemagick} backend drew. */
class MediaEvalTest {
    @TempDir
    Path dir;

    private Path original;
    private Path blurred;
    private Path captionedSmaller;

    @BeforeEach
    void drawImages() throws Exception {
        LocalTtsTest.assumeEngine(MediaEval.BACKEND);
        LocalTtsTest.assumeEngine(ImageMagick.BACKEND);
        try (ShimBridge magick = new ShimBridge(Files.createDirectories(dir.resolve("magick")), ImageMagick.BACKEND)) {
            original = draw(magick, "{\"prompt\": \"a red fox\", \"width\": 320, \"height\": 240}", "original.png");
            blurred = draw(magick, "{\"image\": " + ImageMagickTest.reference(original) + ", \"effects\": [\"blur\"]}", "blurred.png");
            captionedSmaller = draw(magick, "{\"image\": " + ImageMagickTest.reference(original)
                    + ", \"resize\": {\"width\": 160}, \"caption\": \"changed\", \"format\": \"jpeg\"}", "captioned.jpeg");
        }
    }

    private Path draw(ShimBridge magick, String input, String name) throws Exception {
        String type = input.contains("\"image\"") ? "image.transform" : "image.generate";
        WorkerMessage answer = magick.run(type, ShimBridge.json(input), ImageMagick.BACKEND, null, null);
        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        Path file = magick.scratch(result.jobId()).resolve(result.outputs().get("artifact").asText());
        return Files.copy(file, dir.resolve(name));
    }

    private WorkerMessage compare(ShimBridge bridge, Path image, Path reference, String metric) throws Exception {
        String input = "{\"image\": " + ImageMagickTest.reference(image) + ", \"reference\": " + ImageMagickTest.reference(reference)
                + (metric == null ? "" : ", \"metric\": \"" + metric + "\"") + "}";
        return bridge.run(MediaEval.IMAGE_SIMILARITY, ShimBridge.json(input), MediaEval.BACKEND, null, null);
    }

    private static JsonNode score(WorkerMessage answer) {
        return assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString()).outputs();
    }

    @Test
    void anImageIsIdenticalToItselfAndAChangedOneScoresLower() throws Exception {
        try (ShimBridge bridge = new ShimBridge(Files.createDirectories(dir.resolve("eval")), MediaEval.BACKEND)) {
            WorkerMessage sameAnswer = compare(bridge, original, original, null);
            JsonNode same = score(sameAnswer);
            JsonNode blur = score(compare(bridge, blurred, original, null));
            JsonNode caption = score(compare(bridge, captionedSmaller, original, null));

            assertEquals("ssim", same.get("metric").asText());
            assertEquals(1.0, same.get("value").asDouble(), 1e-9);
            assertEquals(MediaEval.PSNR_CAP_DB, same.get("details").get("psnr").asDouble());
            assertTrue(same.get("details").get("psnr_capped").asBoolean());
            assertTrue(blur.get("value").asDouble() < 0.999, blur.toString());
            assertTrue(caption.get("value").asDouble() < blur.get("value").asDouble(), caption + " vs " + blur);
            assertFalse(caption.get("details").get("psnr_capped").asBoolean());

            WorkerMessage.Result result = (WorkerMessage.Result) sameAnswer;
            assertEquals(List.of(new ArtifactRef(ScoreArtifact.FILE_NAME, ScoreArtifact.KIND, ScoreArtifact.MIME)), result.artifacts());
            JsonNode written = FrameCodec.mapper().readTree(bridge.scratch(result.jobId()).resolve(ScoreArtifact.FILE_NAME).toFile());
            assertEquals(1.0, written.get("value").asDouble(), 1e-9);
        }
    }

    @Test
    void psnrIsTheValueWhenAskedAndBothAreInTheDetails() throws Exception {
        try (ShimBridge bridge = new ShimBridge(Files.createDirectories(dir.resolve("eval")), MediaEval.BACKEND)) {
            JsonNode blur = score(compare(bridge, blurred, original, "psnr"));

            assertEquals("psnr", blur.get("metric").asText());
            double psnr = blur.get("value").asDouble();
            assertTrue(psnr > 10 && psnr < MediaEval.PSNR_CAP_DB, blur.toString());
            assertEquals(psnr, blur.get("details").get("psnr").asDouble());
            assertTrue(blur.get("details").get("ssim").asDouble() < 1, blur.toString());
        }
    }

    @Test
    void badInputFailsPermanentlyNamingTheField() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
        try (ShimBridge bridge = new ShimBridge(Files.createDirectories(dir.resolve("eval")), MediaEval.BACKEND)) {
            assertPermanent(compare(bridge, original, original, "mse"), Failures.UNSUPPORTED_PARAMETER, "metric");
            assertPermanent(compare(bridge, original, text, null), Failures.INVALID_INPUT, "input.reference");
            assertPermanent(bridge.run(MediaEval.IMAGE_SIMILARITY, ShimBridge.json("{\"image\": " + ImageMagickTest.reference(original) + "}"),
                    MediaEval.BACKEND, null, null), Failures.INVALID_INPUT, "input.reference");
        }
    }
}
