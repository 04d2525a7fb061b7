package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.List;
import java.util.Optional;

/**
 * A line of text drawn across the bottom of an image, white on a translucent dark box so it reads on any background.
 * ImageMagick interprets {@code %} escapes, a leading {@code @} (read a file) and backslashes in text it draws, so
 * the caption is escaped to be drawn literally, and control characters are refused.
 */
record ImageCaption(String text, long fontSize, String font) {
    static final String FIELD = "caption";
    static final String FONT = "font";
    static final String FONT_SIZE = "font_size";
    static final int MAX_CHARS = 200;
    /** Fonts fontconfig lists on Debian with ImageMagick installed (fonts-dejavu-core); params.font picks another. */
    static final String DEFAULT_FONT = "DejaVu-Sans";
    static final long MIN_FONT_SIZE = 6;
    static final long MAX_FONT_SIZE = 1_000;
    /** The default font size is the image's height divided by this. */
    private static final long HEIGHT_PER_FONT_SIZE = 8;
    /** Black at 60% opacity behind the letters: the picture still shows through. */
    private static final String BOX_COLOR = "#00000099";
    private static final long MARGIN_PER_FONT_SIZE = 4;

    /** The run's caption, sized for an image {@code imageHeight} pixels high; empty when the input has none. */
    static Optional<ImageCaption> of(RunFields fields, JsonNode input, long imageHeight) throws WorkerFailure {
        if (input.get(FIELD) == null || input.get(FIELD).isNull()) {
            return Optional.empty();
        }
        String text = fields.requiredText(FIELD, MAX_CHARS);
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw Failures.invalidInput(FIELD, "must be one line without control characters");
        }
        long fallbackSize = Math.max(MIN_FONT_SIZE, Math.min(MAX_FONT_SIZE, imageHeight / HEIGHT_PER_FONT_SIZE));
        long size = fields.integer(FONT_SIZE, fallbackSize, MIN_FONT_SIZE, MAX_FONT_SIZE);
        String font = fields.param(FONT, DEFAULT_FONT);
        if (!font.matches("[A-Za-z0-9][A-Za-z0-9 _.-]*")) {
            throw Failures.invalidParams(FONT, "must be a font name as `convert -list font` prints it, e.g. " + DEFAULT_FONT);
        }
        return Optional.of(new ImageCaption(text, size, font));
    }

    /** ImageMagick operators drawing the caption on the current image. */
    List<String> operators() {
        return List.of("-gravity", "South", "-font", font, "-pointsize", Long.toString(fontSize),
                "-fill", "white", "-undercolor", BOX_COLOR,
                "-annotate", "+0+" + Math.max(1, fontSize / MARGIN_PER_FONT_SIZE), literal(text), "+gravity");
    }

    /** {@code text} escaped so ImageMagick draws it as written. */
    static String literal(String text) {
        String escaped = text.replace("\\", "\\\\").replace("%", "%%");
        return escaped.startsWith("@") ? "\\" + escaped : escaped;
    }
}
