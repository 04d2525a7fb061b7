package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code video.render}: a procedural clip from one of ffmpeg's generated sources ({@code pattern} testsrc2,
 * mandelbrot or life; by default picked from the seed), varied by {@code seed}, with the {@code prompt} drawn on it
 * when ffmpeg has its drawtext filter. Settings: width, height, duration_s, fps, format, codec.
 */
final class VideoRender implements FfmpegVideo.VideoJob {
    static final List<String> PATTERNS = List.of("testsrc2", "mandelbrot", "life");
    static final int MAX_PROMPT_CHARS = 200;
    static final long DEFAULT_WIDTH = 640;
    static final long DEFAULT_HEIGHT = 360;
    static final double DEFAULT_DURATION_S = 3;
    static final double MIN_DURATION_S = 0.1;
    static final double MAX_DURATION_S = 60;
    static final long DEFAULT_FPS = 25;
    static final long MAX_SEED = Integer.MAX_VALUE;
    private static final int HUE_DEGREES = 360;
    /** Spreads seeds over the Mandelbrot set's edge, where the zoom stays interesting. */
    private static final double MANDELBROT_START_X = -0.743643887037151;
    private static final double MANDELBROT_SEED_STEP = 1e-6;
    private static final int MANDELBROT_SEEDS = 1000;
    private static final String PROMPT_FILE = ".prompt.txt";
    private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    @Override
    public ObjectNode run(JobRun job, RunFields fields, WorkerContext ctx) throws WorkerFailure {
        long width = FfmpegVideo.side(fields, "width", DEFAULT_WIDTH, FfmpegVideo.MAX_WIDTH);
        long height = FfmpegVideo.side(fields, "height", DEFAULT_HEIGHT, FfmpegVideo.MAX_HEIGHT);
        double duration = fields.number("duration_s", DEFAULT_DURATION_S, MIN_DURATION_S, MAX_DURATION_S);
        long fps = fields.integer("fps", DEFAULT_FPS, FfmpegVideo.MIN_FPS, FfmpegVideo.MAX_FPS);
        long seed = fields.integer("seed", 0, 0, MAX_SEED);
        String prompt = job.input().hasNonNull("prompt") ? fields.requiredText("prompt", MAX_PROMPT_CHARS) : null;
        String pattern = fields.string("pattern", PATTERNS.get((int) (seed % PATTERNS.size()))).toLowerCase(Locale.ROOT);
        if (!PATTERNS.contains(pattern)) {
            throw Failures.invalidInput("pattern", "must be one of " + PATTERNS + ", was '" + pattern + "'");
        }
        VideoEncoding encoding = VideoEncoding.of(fields);
        List<String> videoArgs = encoding.videoArgs(fields);

        List<String> filters = new ArrayList<>();
        if ("testsrc2".equals(pattern)) {
            filters.add("hue=h=" + seed % HUE_DEGREES);
        }
        boolean overlay = prompt != null && VideoFilters.has("drawtext");
        if (overlay) {
            writePrompt(job.scratchDir().resolve(PROMPT_FILE), prompt);
            filters.add(drawText());
        }
        filters.add("format=yuv420p");

        List<String> argv = FfmpegVideo.ffmpeg();
        argv.addAll(List.of("-f", "lavfi", "-i", source(pattern, width, height, fps, duration, seed)));
        argv.addAll(List.of("-vf", String.join(",", filters), "-t", FfmpegVideo.seconds(duration), "-r", Long.toString(fps)));
        argv.addAll(videoArgs);
        argv.addAll(encoding.muxerArgs());
        Path file = job.scratchDir().resolve(encoding.fileName());
        argv.add(file.toString());
        ctx.progress(FfmpegVideo.PERCENT_PROBED, "rendering " + pattern + " " + width + "x" + height + " for " + duration + " s");
        FfmpegVideo.encode(argv, job, ctx);
        ctx.progress(FfmpegVideo.PERCENT_ENCODED, "rendered");

        ObjectNode outputs = FfmpegVideo.declare(file, VideoEncoding.KIND, encoding.mime(), job, ctx);
        outputs.put("format", encoding.extension());
        outputs.put("pattern", pattern);
        outputs.put("seed", seed);
        outputs.put("text_overlay", overlay);
        return outputs;
    }

    /** The lavfi source: every value numeric, so nothing of the job's text reaches the filter graph. */
    private static String source(String pattern, long width, long height, long fps, double duration, long seed) {
        String common = "size=" + width + "x" + height + ":rate=" + fps;
        return switch (pattern) {
            case "mandelbrot" -> "mandelbrot=" + common + ":start_x=" + String.format(Locale.ROOT, "%.12f",
                    MANDELBROT_START_X + (seed % MANDELBROT_SEEDS) * MANDELBROT_SEED_STEP) + ":maxiter=256:end_pts=" + Math.round(duration * fps);
            case "life" -> "life=" + common + ":seed=" + seed + ":mold=10:life_color=#c0ffc0:death_color=#400000:mold_color=#204020";
            default -> "testsrc2=" + common + ":duration=" + FfmpegVideo.seconds(duration);
        };
    }

    /** The prompt comes from a file in the scratch dir (the run's working dir), centred near the bottom, unexpanded. */
    private static String drawText() {
        String font = Files.isRegularFile(FONT) ? "fontfile=" + FONT + ":" : "";
        return "drawtext=" + font + "textfile=" + PROMPT_FILE + ":expansion=none:fontcolor=white:fontsize=h/12"
                + ":box=1:boxcolor=black@0.5:boxborderw=8:x=(w-text_w)/2:y=h-text_h-h/10";
    }

    private static void writePrompt(Path file, String prompt) throws WorkerFailure {
        try {
            Files.writeString(file, prompt, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
