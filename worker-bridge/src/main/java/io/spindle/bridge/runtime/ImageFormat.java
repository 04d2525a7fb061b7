package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats the image shims read and write. An input is recognised by its first bytes, never by its name or
 * media type, and handed to each engine with its format spelled out, so a file cannot pass for one of the formats
 * an engine would otherwise guess (SVG, MVG, a playlist, a list of file names) and make it read other files.
 */
public enum ImageFormat {
    PNG("png", "image/png", "png_pipe", true),
    JPEG("jpeg", "image/jpeg", "jpeg_pipe", true),
    WEBP("webp", "image/webp", "webp_pipe", true),
    /** Read (its first frame) but not written. */
    GIF("gif", "image/gif", "gif", false);

    public static final String FIELD = "format";
    public static final String ARTIFACT_KIND = "image";
    /** The largest input image file a shim reads. */
    public static final long MAX_INPUT_BYTES = 50L * 1024 * 1024;
    private static final int SNIFF_BYTES = 12;

    private final String extension;
    private final String mime;
    private final String ffmpegDemuxer;
    private final boolean writable;

    ImageFormat(String extension, String mime, String ffmpegDemuxer, boolean writable) {
        this.extension = extension;
        this.mime = mime;
        this.ffmpegDemuxer = ffmpegDemuxer;
        this.writable = writable;
    }

    public String extension() {
        return extension;
    }

    public String mime() {
        return mime;
    }

    /** ImageMagick's name for {@code file} in this format ({@code png:/path}): the coder is chosen, not guessed. */
    public String magickPath(Path file) {
        return extension + ":" + file;
    }

    /** ffmpeg's options reading {@code file} as this format only. */
    List<String> ffmpegInput(Path file) {
        return List.of("-f", ffmpegDemuxer, "-i", file.toString());
    }

    /** The file name a shim writes in its scratch dir. */
    public String fileName() {
        return "image." + extension;
    }

    /** The output format named by the run's {@code format} setting (input, then params), else {@code fallback}. */
    public static ImageFormat output(RunFields fields, ImageFormat fallback) throws WorkerFailure {
        String name = fields.string(FIELD, (fallback.writable ? fallback : PNG).extension).toLowerCase(Locale.ROOT);
        String wanted = name.equals("jpg") ? JPEG.extension : name;
        return Arrays.stream(values()).filter(f -> f.writable && f.extension.equals(wanted)).findFirst()
                .orElseThrow(() -> Failures.unsupported(FIELD, "'" + name + "' is not one of png, jpeg, webp"));
    }

    /** The format of an input image by its first bytes; a permanent {@code invalid_input} for anything else. */
    public static ImageFormat sniff(String field, InputArtifact image) throws WorkerFailure {
        byte[] head;
        try (InputStream in = Files.newInputStream(image.path())) {
            if (Files.size(image.path()) > MAX_INPUT_BYTES) {
                throw Failures.invalidInput(field, "larger than " + MAX_INPUT_BYTES + " bytes");
            }
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + image.path() + ": " + e.getMessage());
        }
        return detect(head).orElseThrow(
                () -> Failures.invalidInput(field, "artifact " + image.artifactId() + " is not a png, jpeg, webp or gif image"));
    }

    /** The format whose signature {@code head} (a file's first bytes) starts with, if any. */
    public static Optional<ImageFormat> detect(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n')) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int offset, int... magic) {
        if (head.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
