package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code imagemagick} backend against the real ImageMagick, through a real worker. */
class ImageMagickTest {
    static final String IDENTIFY = "/usr/bin/identify";

    @TempDir
    Path dir;

    private ShimBridge bridge;

    @BeforeEach
    void start() throws Exception {
        LocalTtsTest.assumeEngine(ImageMagick.BACKEND);
        bridge = new ShimBridge(dir, ImageMagick.BACKEND);
    }

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
    }

    private WorkerMessage run(String type, String input) {
        return bridge.run(type, ShimBridge.json(input), ImageMagick.BACKEND, null, null);
    }

    /** The file of a successful run's artifact. */
    Path image(WorkerMessage answer) {
        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        return bridge.scratch(result.jobId()).resolve(result.outputs().get("artifact").asText());
    }

    /** {@code identify}'s answer for {@code file}: format, width and height, e.g. "PNG 320x200". */
    static String identify(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(IDENTIFY, "-format", "%m %wx%h", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    /** An input artifact reference as the node passes it, for a file already on disk. */
    static String reference(Path file) throws IOException {
        return "{\"artifact_id\": \"art_test\", \"path\": \"" + file + "\", \"mime\": \"image/png\", \"bytes\": " + Files.size(file) + "}";
    }

    @Test
    void generatesAPngOfTheAskedSize() throws Exception {
        WorkerMessage answer = run("image.generate", "{\"prompt\": \"a red fox\", \"width\": 320, \"height\": 200}");

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("image.png", "image", "image/png")), result.artifacts());
        assertEquals("PNG 320x200", identify(image(answer)));
        assertEquals(320, result.outputs().get("width").asLong());
        assertEquals("plasma", result.outputs().get("style").asText());
        assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
    }

    @Test
    void theSamePromptAndSeedGiveTheSameBytesAndAnotherSeedOthers() throws Exception {
        for (String style : List.of("plasma", "gradient", "noise")) {
            String input = "{\"prompt\": \"a red fox\", \"width\": 96, \"height\": 64, \"style\": \"" + style + "\", \"seed\": %d}";
            byte[] first = Files.readAllBytes(image(run("image.generate", input.formatted(7))));
            byte[] again = Files.readAllBytes(image(run("image.generate", input.formatted(7))));
            byte[] other = Files.readAllBytes(image(run("image.generate", input.formatted(8))));

            assertArrayEquals(first, again, style);
            assertFalse(Arrays.equals(first, other), style + ": seed 8 drew the same image as seed 7");
        }
    }

    @Test
    void writesJpegAndWebpWithACaption() throws Exception {
        for (String format : List.of("jpeg", "webp")) {
            WorkerMessage answer = run("image.generate", "{\"prompt\": \"x\", \"width\": 200, \"height\": 100, \"caption\": \"50% @home \\\\o/\", \"format\": \""
                    + format + "\"}");
            assertEquals(format.toUpperCase() + " 200x100", identify(image(answer)));
        }
    }

    @Test
    void captionTextIsDrawnLiterally() {
        assertEquals("\\@etc %%w a\\\\b", ImageCaption.literal("@etc %w a\\b"));
        assertEquals("mid@dle 100%%", ImageCaption.literal("mid@dle 100%"));
    }

    @Test
    void resizeAndCropGiveTheAskedSize() throws Exception {
        Path source = image(run("image.generate", "{\"prompt\": \"a red fox\", \"width\": 400, \"height\": 300}"));

        Path resized = image(run("image.transform", "{\"image\": " + reference(source) + ", \"resize\": {\"width\": 123, \"height\": 45}}"));
        Path scaled = image(run("image.transform", "{\"image\": " + reference(source) + ", \"resize\": {\"width\": 200}}"));
        WorkerMessage cropAnswer = run("image.transform", "{\"image\": " + reference(source)
                + ", \"crop\": {\"x\": 10, \"y\": 20, \"width\": 100, \"height\": 80}, \"effects\": [\"sepia\", \"blur\"],"
                + " \"caption\": \"hi\", \"format\": \"jpeg\"}");

        assertEquals("PNG 123x45", identify(resized));
        assertEquals("PNG 200x150", identify(scaled));
        assertEquals("JPEG 100x80", identify(image(cropAnswer)));
        WorkerMessage.Result crop = (WorkerMessage.Result) cropAnswer;
        assertEquals(List.of(new ArtifactRef("image.jpeg", "image", "image/jpeg")), crop.artifacts());
        assertEquals("[\"crop 100x80+10+20\",\"sepia\",\"blur\",\"caption\"]", crop.outputs().get("steps").toString());
    }

    @Test
    void badInputFailsPermanentlyNamingTheField() throws Exception {
        Path source = image(run("image.generate", "{\"prompt\": \"p\", \"width\": 64, \"height\": 64}"));
        String ref = reference(source);

        assertPermanent(run("image.generate", "{}"), Failures.INVALID_INPUT, "input.prompt");
        assertPermanent(run("image.generate", "{\"prompt\": \"p\", \"width\": 100000}"), Failures.INVALID_INPUT, "input.width");
        assertPermanent(run("image.generate", "{\"prompt\": \"p\", \"style\": \"photo\"}"), Failures.UNSUPPORTED_PARAMETER, "style");
        assertPermanent(run("image.generate", "{\"prompt\": \"p\", \"format\": \"tiff\"}"), Failures.UNSUPPORTED_PARAMETER, "format");
        assertPermanent(run("image.generate", "{\"prompt\": \"p\", \"caption\": \"two\\nlines\"}"), Failures.INVALID_INPUT, "input.caption");
        assertPermanent(run("image.transform", "{}"), Failures.INVALID_INPUT, "input.image");
        assertPermanent(run("image.transform", "{\"image\": " + ref + ", \"crop\": {\"x\": 60, \"y\": 0, \"width\": 10, \"height\": 10}}"),
                Failures.INVALID_INPUT, "input.crop.width");
        assertPermanent(run("image.transform", "{\"image\": " + ref + ", \"resize\": {\"width\": 99999}}"), Failures.INVALID_INPUT, "input.resize.width");
        assertPermanent(run("image.transform", "{\"image\": " + ref + ", \"effects\": [\"shell\"]}"), Failures.INVALID_INPUT, "input.effects[0]");
        assertPermanent(run("image.transform", "{\"image\": " + ref + ", \"rotate\": 720}"), Failures.INVALID_INPUT, "input.rotate");
    }

    @Test
    void anInputThatIsNoImageOrTooLargeIsRefused() throws Exception {
        Path svg = Files.writeString(dir.resolve("evil.svg"), "<svg><image href=\"file:///etc/passwd\"/></svg>");
        // A valid PNG header announcing 100000 x 100000 pixels: ImageMagick's limits refuse it before any pixel is held.
        byte[] huge = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0, 1, (byte) 0x86, (byte) 0xA0, 0, 1, (byte) 0x86, (byte) 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0};
        Path bomb = Files.write(dir.resolve("bomb.png"), huge);

        assertPermanent(run("image.transform", "{\"image\": " + reference(svg) + "}"), Failures.INVALID_INPUT, "input.image");
        assertPermanent(run("image.transform", "{\"image\": " + reference(bomb) + "}"), Failures.INVALID_INPUT, "input.image");
    }
}
