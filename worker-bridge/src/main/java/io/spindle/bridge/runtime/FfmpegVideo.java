package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Video with ffmpeg (and ffprobe): {@code video.render} (a procedural clip from a seed and an optional prompt drawn
 * on it), {@code video.transcode} (an input video to another format, codec, size or frame rate),
 * {@code video.thumbnail} (one frame of an input video as a PNG) and {@code video.slideshow} (input images, with an
 * optional input audio track, as a video). Inputs are artifacts of earlier jobs ({@link InputArtifact}); every one
 * is probed before ffmpeg runs, so a file that is no media is bad input rather than a crashed engine. ffmpeg runs
 * with argv only, its text (a prompt) through a file.
 */
public final class FfmpegVideo implements RuntimeShim {
    public static final String BACKEND = "ffmpeg";
    public static final String RENDER = "video.render";
    public static final String TRANSCODE = "video.transcode";
    public static final String THUMBNAIL = "video.thumbnail";
    public static final String SLIDESHOW = "video.slideshow";
    static final String FFMPEG = "ffmpeg";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    static final int MIN_SIDE = 16;
    static final int MAX_WIDTH = 1920;
    static final int MAX_HEIGHT = 1080;
    static final int MIN_FPS = 1;
    static final int MAX_FPS = 60;
    static final double PERCENT_PROBED = 10;
    static final double PERCENT_ENCODED = 90;
    static final double PERCENT_DONE = 100;

    /** One job type's work. */
    interface VideoJob {
        ObjectNode run(JobRun job, RunFields fields, WorkerContext ctx) throws WorkerFailure;
    }

    private final Map<String, VideoJob> jobs = Map.of(
            RENDER, new VideoRender(),
            TRANSCODE, new VideoTranscode(),
            THUMBNAIL, new VideoThumbnail(),
            SLIDESHOW, new VideoSlideshow());

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(RENDER, TRANSCODE, THUMBNAIL, SLIDESHOW);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(FFMPEG, FFMPEG).or(() -> Subprocess.missing(VideoProbe.FFPROBE, FFMPEG));
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        Optional<String> missing = unavailableReason();
        if (missing.isPresent()) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_MISSING, missing.get());
        }
        ObjectNode outputs = jobs.get(job.type()).run(job, new RunFields(job), ctx);
        outputs.put("backend", BACKEND);
        ctx.progress(PERCENT_DONE, "wrote " + outputs.path("artifact").asText());
        return outputs;
    }

    // ---- what the job types share ------------------------------------------------------------------

    /** The start of every ffmpeg command line: quiet but for errors, never reading stdin, overwriting. */
    static List<String> ffmpeg() {
        return new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
    }

    /** Runs ffmpeg; a non-zero exit after the inputs were probed is the engine's failure (transient). */
    static void encode(List<String> argv, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg exited " + exit.code() + ": " + exit.stderrTail());
        }
    }

    /** An even frame side within [MIN_SIDE, max] (yuv420p halves the chroma planes, so odd sizes cannot be encoded). */
    static long side(RunFields fields, String field, long fallback, long max) throws WorkerFailure {
        long value = fields.integer(field, fallback, MIN_SIDE, max);
        if (value % 2 != 0) {
            throw Failures.invalidInput(field, "must be even, was " + value);
        }
        return value;
    }

    /** Whether the input (not the params) sets {@code field}. */
    static boolean given(JobRun job, String field) {
        return job.input().hasNonNull(field) || (job.params() != null && job.params().hasNonNull(field));
    }

    /** Declares {@code file} and returns outputs describing it: artifact, mime, bytes, and what ffprobe sees. */
    static ObjectNode declare(Path file, String kind, String mime, JobRun job, WorkerContext ctx) throws WorkerFailure {
        if (!Files.isRegularFile(file)) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg exited 0 but wrote no " + file.getFileName());
        }
        VideoProbe probe = VideoProbe.ofOutput(file, job, ctx);
        ctx.artifact(file.getFileName().toString(), kind, mime);
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("artifact", file.getFileName().toString());
        outputs.put("mime", mime);
        try {
            outputs.put("bytes", Files.size(file));
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
        outputs.put("width", probe.width());
        outputs.put("height", probe.height());
        if (probe.durationSeconds() > 0) {
            outputs.put("duration_ms", probe.durationMs());
        }
        if (probe.fps() > 0 && VideoEncoding.KIND.equals(kind)) {
            outputs.put("fps", probe.fps());
            outputs.put("has_audio", probe.hasAudio());
        }
        return outputs;
    }

    /** A seconds value as ffmpeg reads it, with no exponent. */
    static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
