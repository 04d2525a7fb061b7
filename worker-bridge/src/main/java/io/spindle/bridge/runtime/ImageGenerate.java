package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * {@code image.generate} on ImageMagick: a procedural picture (no model), fully determined by the prompt and the
 * optional seed, so the same job gives the same bytes and a test or a demo pipeline has a real image to work on.
 * Settings: {@code prompt} (required), {@code seed}, {@code width}, {@code height}, {@code style} (else the
 * config's {@code model_ref}), {@code caption}, {@code font_size}, {@code format}.
 */
record ImageGenerate(String prompt, long seed, long width, long height, Style style, Optional<ImageCaption> caption, ImageFormat format) {
    static final String JOB_TYPE = "image.generate";
    static final int MAX_PROMPT_CHARS = 4_000;
    static final long MIN_SIDE = 16;
    static final long MAX_SIDE = 2_048;
    static final long DEFAULT_SIDE = 512;
    static final long MAX_SEED = 0xFFFF_FFFFL;
    /** Blur of the smooth noise style, as a share of the shorter side. */
    private static final double NOISE_BLUR_SHARE = 0.03;
    private static final int RGB_BOUND = 0x100_0000;

    /** The procedural pictures, each an ImageMagick pseudo-image seeded from the job. */
    enum Style {
        PLASMA, GRADIENT, NOISE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Style named(String name) throws WorkerFailure {
            return Arrays.stream(values()).filter(s -> s.id().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> Failures.unsupported("style", "'" + name + "' is not one of plasma, gradient, noise"));
        }
    }

    static ImageGenerate of(JobRun job) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String prompt = fields.requiredText("prompt", MAX_PROMPT_CHARS);
        long seed = fields.integer("seed", 0, 0, MAX_SEED);
        long width = fields.integer("width", DEFAULT_SIDE, MIN_SIDE, MAX_SIDE);
        long height = fields.integer("height", DEFAULT_SIDE, MIN_SIDE, MAX_SIDE);
        String fallbackStyle = job.modelRef() == null || job.modelRef().isBlank() ? Style.PLASMA.id() : job.modelRef();
        Style style = Style.named(fields.string("style", fallbackStyle));
        Optional<ImageCaption> caption = ImageCaption.of(fields, job.input(), height);
        return new ImageGenerate(prompt, engineSeed(prompt, seed), width, height, style, caption, ImageFormat.output(fields, ImageFormat.PNG));
    }

    /** The seed ImageMagick draws with: a digest of the prompt and the job's seed, the same on every machine. */
    static long engineSeed(String prompt, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prompt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(seed).getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha.digest();
            long value = 0;
            for (int i = 0; i < Integer.BYTES; i++) {
                value = (value << Byte.SIZE) | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** convert's arguments after its limits, writing {@code target}. */
    List<String> arguments(Path target) {
        Random colors = new Random(seed);
        List<String> args = new ArrayList<>(List.of("-seed", Long.toString(seed), "-size", width + "x" + height));
        switch (style) {
            case PLASMA -> args.add("plasma:fractal");
            case GRADIENT -> args.addAll(List.of(gradient(colors), "-virtual-pixel", "mirror", "-distort", "SRT", Integer.toString(colors.nextInt(360))));
            case NOISE -> args.addAll(List.of("xc:gray", "+noise", "Random", "-blur",
                    "0x" + Math.max(1, Math.round(Math.min(width, height) * NOISE_BLUR_SHARE)), "-auto-level",
                    "(", "-size", width + "x" + height, gradient(colors), ")", "-compose", "Overlay", "-composite"));
        }
        caption.ifPresent(c -> args.addAll(c.operators()));
        args.addAll(List.of("-depth", "8", "-strip", format.magickPath(target)));
        return args;
    }

    private static String gradient(Random colors) {
        return "gradient:" + color(colors) + "-" + color(colors);
    }

    private static String color(Random colors) {
        return String.format(Locale.ROOT, "#%06x", colors.nextInt(RGB_BOUND));
    }
}
