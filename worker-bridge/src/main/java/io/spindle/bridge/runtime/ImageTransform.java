package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code image.transform} on ImageMagick: the input {@code image} artifact through the steps the input asks for,
 * always in this order: {@code crop} {x, y, width, height}, {@code resize} {width and/or height; both: exactly that
 * size, one: the other follows the aspect ratio}, {@code rotate} (degrees), {@code effects} (names from
 * {@link #EFFECTS}, applied in the order given), {@code caption}; then written in {@code format} (default: the
 * input's, png for gif).
 */
record ImageTransform(List<String> operators, Optional<ImageCaption> caption, ImageFormat format, List<String> steps) {
    static final String JOB_TYPE = "image.transform";
    static final String IMAGE = "image";
    static final long MAX_SIDE = 4_096;
    static final double MAX_ROTATE_DEGREES = 360;
    static final int MAX_EFFECTS = 8;
    /** The effects a job may ask for, each as fixed ImageMagick operators: nothing from the input reaches them. */
    static final Map<String, List<String>> EFFECTS = effects();

    private static Map<String, List<String>> effects() {
        Map<String, List<String>> effects = new LinkedHashMap<>();
        effects.put("blur", List.of("-blur", "0x3"));
        effects.put("sharpen", List.of("-sharpen", "0x1"));
        effects.put("grayscale", List.of("-colorspace", "Gray"));
        effects.put("sepia", List.of("-sepia-tone", "80%"));
        effects.put("negate", List.of("-negate"));
        effects.put("flip", List.of("-flip"));
        effects.put("flop", List.of("-flop"));
        effects.put("normalize", List.of("-normalize"));
        return Collections.unmodifiableMap(effects);
    }

    /** The steps {@code job} asks for on an input image of {@code size} read as {@code inputFormat}. */
    static ImageTransform of(JobRun job, MagickCommand.Size size, ImageFormat inputFormat) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        JsonNode input = job.input();
        List<String> operators = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        long height = size.height();
        JsonNode crop = input.get("crop");
        if (crop != null && !crop.isNull()) {
            long x = whole(crop, "crop", "x", 0, size.width() - 1);
            long y = whole(crop, "crop", "y", 0, size.height() - 1);
            long w = whole(crop, "crop", "width", 1, size.width() - x);
            long h = whole(crop, "crop", "height", 1, size.height() - y);
            operators.addAll(List.of("-crop", w + "x" + h + "+" + x + "+" + y, "+repage"));
            steps.add("crop " + w + "x" + h + "+" + x + "+" + y);
            height = h;
        }
        JsonNode resize = input.get("resize");
        if (resize != null && !resize.isNull()) {
            if (!resize.isObject() || (!resize.has("width") && !resize.has("height"))) {
                throw Failures.invalidInput("resize", "must be an object with width and/or height");
            }
            String w = resize.has("width") ? Long.toString(whole(resize, "resize", "width", 1, MAX_SIDE)) : "";
            String h = resize.has("height") ? Long.toString(whole(resize, "resize", "height", 1, MAX_SIDE)) : "";
            String geometry = w + "x" + h + (w.isEmpty() || h.isEmpty() ? "" : "!");
            operators.addAll(List.of("-resize", geometry));
            steps.add("resize " + geometry);
            height = h.isEmpty() ? height : Long.parseLong(h);
        }
        if (input.has("rotate")) {
            double degrees = fields.number("rotate", 0, -MAX_ROTATE_DEGREES, MAX_ROTATE_DEGREES);
            operators.addAll(List.of("-rotate", Double.toString(degrees), "+repage"));
            steps.add("rotate " + degrees);
        }
        for (String effect : effectNames(input)) {
            operators.addAll(EFFECTS.get(effect));
            steps.add(effect);
        }
        Optional<ImageCaption> caption = ImageCaption.of(fields, input, height);
        caption.ifPresent(c -> steps.add("caption"));
        return new ImageTransform(List.copyOf(operators), caption, ImageFormat.output(fields, inputFormat), List.copyOf(steps));
    }

    /** convert's arguments after its limits: read {@code source} as {@code sourceFormat}, write {@code target}. */
    List<String> arguments(Path source, ImageFormat sourceFormat, Path target) {
        List<String> args = new ArrayList<>();
        args.add(sourceFormat.magickPath(source) + "[0]");
        args.addAll(operators);
        caption.ifPresent(c -> args.addAll(c.operators()));
        args.addAll(List.of("-strip", format.magickPath(target)));
        return args;
    }

    private static List<String> effectNames(JsonNode input) throws WorkerFailure {
        JsonNode effects = input.get("effects");
        if (effects == null || effects.isNull()) {
            return List.of();
        }
        if (!effects.isArray() || effects.size() > MAX_EFFECTS) {
            throw Failures.invalidInput("effects", "must be a list of at most " + MAX_EFFECTS + " effect names");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            String name = effects.get(i).asText("");
            if (!effects.get(i).isTextual() || !EFFECTS.containsKey(name)) {
                throw Failures.invalidInput("effects[" + i + "]", "must be one of " + EFFECTS.keySet());
            }
            names.add(name);
        }
        return names;
    }

    private static long whole(JsonNode object, String field, String key, long min, long max) throws WorkerFailure {
        if (!object.isObject()) {
            throw Failures.invalidInput(field, "must be an object");
        }
        JsonNode value = object.get(key);
        if (value == null || !value.isNumber() || !value.canConvertToExactIntegral()) {
            throw Failures.invalidInput(field + "." + key, "required: a whole number");
        }
        long parsed = value.asLong();
        if (parsed < min || parsed > max) {
            throw Failures.invalidInput(field + "." + key, "must be between " + min + " and " + max + " for this image, was " + parsed);
        }
        return parsed;
    }
}
