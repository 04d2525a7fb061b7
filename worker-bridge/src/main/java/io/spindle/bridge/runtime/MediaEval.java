package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code eval.image_similarity} with ffmpeg: how close the input {@code image} artifact is to the {@code reference}
 * one, by SSIM (0–1, 1 = identical) and PSNR (dB, higher = closer; identical images, whose PSNR is infinite, score
 * {@value #PSNR_CAP_DB}). The image is scaled to the reference's size first, and both are compared in YUV 4:4:4.
 * {@code metric} ({@code ssim} or {@code psnr}; else the config's {@code model_ref}, else {@code ssim}) picks the
 * {@code value}; both are in {@code details}. The result is a {@link ScoreArtifact}.
 */
public final class MediaEval implements RuntimeShim {
    public static final String BACKEND = "media-eval";
    public static final String IMAGE_SIMILARITY = "eval.image_similarity";
    static final String IMAGE = "image";
    static final String REFERENCE = "reference";
    static final String SSIM = "ssim";
    static final String PSNR = "psnr";
    /** The PSNR of identical images, whose true PSNR is infinite (a score must be a finite number). */
    static final double PSNR_CAP_DB = 100;
    /** The most pixels ffmpeg decodes of either image: a 8192×8192 picture. */
    static final long MAX_PIXELS = 8192L * 8192;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(1);
    private static final String TOO_LARGE = "exceeds specified max pixel count";
    private static final Pattern SSIM_ALL = Pattern.compile("All:([0-9.]+)");
    private static final Pattern PSNR_AVERAGE = Pattern.compile("psnr_avg:([0-9.]+|inf)");
    private static final double PERCENT_STARTED = 5;
    private static final double PERCENT_DONE = 100;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(IMAGE_SIMILARITY);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(SpeechAudio.FFMPEG, SpeechAudio.FFMPEG);
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        InputArtifact image = fields.inputFile(IMAGE);
        InputArtifact reference = fields.inputFile(REFERENCE);
        ImageFormat imageFormat = ImageFormat.sniff(IMAGE, image);
        ImageFormat referenceFormat = ImageFormat.sniff(REFERENCE, reference);
        String fallback = job.modelRef() == null || job.modelRef().isBlank() ? SSIM : job.modelRef();
        String metric = fields.string("metric", fallback).toLowerCase(Locale.ROOT);
        if (!metric.equals(SSIM) && !metric.equals(PSNR)) {
            throw Failures.unsupported("metric", "'" + metric + "' is not one of ssim, psnr");
        }

        ctx.progress(PERCENT_STARTED, "comparing " + image.artifactId() + " with " + reference.artifactId());
        Path ssimLog = job.scratchDir().resolve(".ssim.log");
        Path psnrLog = job.scratchDir().resolve(".psnr.log");
        List<String> argv = new ArrayList<>(List.of(SpeechAudio.FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error"));
        argv.addAll(List.of("-max_pixels", Long.toString(MAX_PIXELS)));
        argv.addAll(imageFormat.ffmpegInput(image.path()));
        argv.addAll(List.of("-max_pixels", Long.toString(MAX_PIXELS)));
        argv.addAll(referenceFormat.ffmpegInput(reference.path()));
        argv.addAll(List.of("-lavfi", "[0:v][1:v]scale2ref=flags=bicubic[c][r];"
                + "[c]format=yuv444p,split[c1][c2];[r]format=yuv444p,split[r1][r2];"
                + "[c1][r1]ssim=stats_file=" + ssimLog.getFileName() + ";[c2][r2]psnr=stats_file=" + psnrLog.getFileName(),
                "-frames:v", "1", "-f", "null", "-"));
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            if (exit.stderrTail().contains(TOO_LARGE)) {
                throw WorkerFailure.permanent(Failures.INVALID_INPUT, "input." + IMAGE + " or input." + REFERENCE
                        + ": larger than " + MAX_PIXELS + " pixels");
            }
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg exited " + exit.code() + ": " + exit.stderrTail());
        }
        double ssim = parse(ssimLog, SSIM_ALL);
        double psnr = parse(psnrLog, PSNR_AVERAGE);
        boolean identical = Double.isInfinite(psnr);
        ObjectNode details = FrameCodec.mapper().createObjectNode();
        details.put(SSIM, ssim);
        details.put(PSNR, identical ? PSNR_CAP_DB : psnr);
        details.put("psnr_capped", identical);
        details.put(IMAGE, image.artifactId()).put(REFERENCE, reference.artifactId());
        ObjectNode outputs = ScoreArtifact.deliver(metric, metric.equals(SSIM) ? ssim : details.get(PSNR).asDouble(), details, job, ctx);
        ctx.progress(PERCENT_DONE, metric + " " + outputs.get("value").asDouble());
        return outputs;
    }

    /** The first frame's figure in an ffmpeg stats file; {@code inf} is infinity. */
    private static double parse(Path stats, Pattern figure) throws WorkerFailure {
        try {
            Matcher match = figure.matcher(Files.readString(stats, StandardCharsets.UTF_8));
            if (!match.find()) {
                throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg's " + stats.getFileName() + " has no score");
            }
            return match.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(match.group(1));
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg wrote no " + stats.getFileName() + ": " + e.getMessage());
        }
    }
}
