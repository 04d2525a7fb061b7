package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tesseract} backend against the real tesseract, reading an image the {@code imagemagick} backend drew. */
class TesseractOcrTest {
    @TempDir
    Path dir;

    /** A picture with "SPINDLE 42" in big letters across it, drawn by the imagemagick backend. */
    private Path captioned() throws Exception {
        try (ShimBridge magick = new ShimBridge(dir.resolve("magick"), ImageMagick.BACKEND)) {
            WorkerMessage answer = magick.run("image.generate", ShimBridge.json("{\"prompt\": \"ocr\", \"style\": \"gradient\", "
                    + "\"width\": 900, \"height\": 240, \"caption\": \"SPINDLE 42\", \"font_size\": 110}"), ImageMagick.BACKEND, null, null);
            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            return Files.copy(magick.scratch(result.jobId()).resolve("image.png"), dir.resolve("captioned.png"));
        }
    }

    @Test
    void readsTheCaptionOfAnImage() throws Exception {
        LocalTtsTest.assumeEngine(ImageMagick.BACKEND);
        LocalTtsTest.assumeEngine(TesseractOcr.BACKEND);
        Path image = captioned();
        Files.createDirectories(dir.resolve("ocr"));
        try (ShimBridge bridge = new ShimBridge(dir.resolve("ocr"), TesseractOcr.BACKEND)) {
            WorkerMessage answer = bridge.run("image.ocr", ShimBridge.json("{\"image\": " + ImageMagickTest.reference(image) + "}"),
                    TesseractOcr.BACKEND, null, null);

            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(List.of(new ArtifactRef("text.txt", "text", "text/plain")), result.artifacts());
            String text = result.outputs().get("text").asText();
            assertTrue(text.contains("SPINDLE") && text.contains("42"), text);
            assertTrue(Files.readString(bridge.scratch(result.jobId()).resolve("text.txt"), StandardCharsets.UTF_8).contains("SPINDLE 42"));
            assertTrue(result.outputs().get("mean_confidence").asDouble() > 50, result.outputs().toString());
            assertEquals(2, result.outputs().get("words").asInt(), result.outputs().toString());
            assertEquals("eng", result.outputs().get("language").asText());
        }
    }

    @Test
    void badInputFailsPermanentlyNamingTheField() throws Exception {
        LocalTtsTest.assumeEngine(TesseractOcr.BACKEND);
        Path list = Files.writeString(dir.resolve("images.txt"), "/etc/passwd\n");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        Path image = Files.write(dir.resolve("tiny.png"), png);
        try (ShimBridge bridge = new ShimBridge(dir, TesseractOcr.BACKEND)) {
            assertPermanent(bridge.run("image.ocr", ShimBridge.json("{}"), TesseractOcr.BACKEND, null, null), Failures.INVALID_INPUT, "input.image");
            assertPermanent(bridge.run("image.ocr", ShimBridge.json("{\"image\": " + ImageMagickTest.reference(list) + "}"),
                    TesseractOcr.BACKEND, null, null), Failures.INVALID_INPUT, "input.image");
            assertPermanent(bridge.run("image.ocr", ShimBridge.json("{\"image\": " + ImageMagickTest.reference(image) + ", \"language\": \"-x\"}"),
                    TesseractOcr.BACKEND, null, null), Failures.UNSUPPORTED_PARAMETER, "language");
            assertPermanent(bridge.run("image.ocr", ShimBridge.json("{\"image\": " + ImageMagickTest.reference(image) + "}"),
                    TesseractOcr.BACKEND, "klingon", null), Failures.UNSUPPORTED_PARAMETER, "klingon");
        }
    }
}
