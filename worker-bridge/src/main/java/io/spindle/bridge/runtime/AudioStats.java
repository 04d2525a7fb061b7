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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code eval.audio_stats} on backend {@value #BACKEND}: one ffmpeg pass over the input's {@code audio} artifact
 * measures its duration, EBU R128 integrated loudness and loudness range ({@code ebur128}), sample peak and the
 * share of it that is silence ({@code silencedetect}). All of them go into the score's details; the {@code metric}
 * setting picks which one is the score's value (default {@value #DEFAULT_METRIC}).
 */
public final class AudioStats implements RuntimeShim {
    public static final String BACKEND = "audio-eval";
    public static final String JOB_TYPE = "eval.audio_stats";
    static final String DEFAULT_METRIC = "duration_s";
    static final List<String> METRICS = List.of("duration_s", "loudness_lufs", "loudness_range_lu", "peak_dbfs", "silence_ratio");
    static final double DEFAULT_SILENCE_DB = -50;
    static final double DEFAULT_SILENCE_MIN_S = 0.5;
    /** ffmpeg prints -inf for the peak of digital silence, which JSON cannot hold: it is reported as this floor. */
    static final double SILENT_PEAK_DBFS = -144;
    /** EBU R128's absolute gate: ebur128 reports silence at this loudness, kept as the floor for the same reason. */
    static final double SILENT_LOUDNESS_LUFS = -70;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final double MIN_SILENCE_DB = -120;
    private static final double MAX_SILENCE_MIN_S = 3_600;
    private static final double MICROS_PER_SECOND = 1_000_000;
    /** ffmpeg's {@code -progress} report; its last {@code out_time_us} is how much audio it decoded. */
    private static final Pattern OUT_TIME = Pattern.compile("out_time_us=(\\d+)");
    private static final Pattern SILENCE_START = Pattern.compile("silence_start: (-?[\\d.]+)");
    private static final Pattern SILENCE_DURATION = Pattern.compile("silence_duration: ([\\d.]+)");
    private static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[\\d.]+|-inf) LUFS");
    private static final Pattern RANGE = Pattern.compile("LRA:\\s+(-?[\\d.]+) LU\\b");
    private static final Pattern PEAK = Pattern.compile("Peak:\\s+(-?[\\d.]+|-inf) dBFS");
    private static final double PERCENT_MEASURING = 5;
    private static final double PERCENT_MEASURED = 90;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(SpeechAudio.FFMPEG, SpeechAudio.FFMPEG);
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        InputArtifact audio = fields.inputFile("audio");
        String metric = fields.string("metric", DEFAULT_METRIC).toLowerCase(Locale.ROOT);
        if (!METRICS.contains(metric)) {
            throw Failures.unsupported("metric", "'" + metric + "' is not one of " + String.join(", ", METRICS));
        }
        double silenceDb = fields.number("silence_threshold_db", DEFAULT_SILENCE_DB, MIN_SILENCE_DB, 0);
        double silenceMinS = fields.number("silence_min_s", DEFAULT_SILENCE_MIN_S, 0.01, MAX_SILENCE_MIN_S);

        ctx.progress(PERCENT_MEASURING, "measuring " + audio.artifactId() + " with ffmpeg");
        Path progress = job.scratchDir().resolve(".audio-stats.progress");
        String filters = String.format(Locale.ROOT, "silencedetect=noise=%.1fdB:d=%.3f,ebur128=peak=sample:framelog=verbose", silenceDb, silenceMinS);
        List<String> argv = List.of(SpeechAudio.FFMPEG, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
                "-progress", progress.toString(), "-i", audio.path().toString(), "-vn", "-af", filters, "-f", "null", "-");
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            throw Failures.invalidInput("audio", "ffmpeg cannot decode artifact " + audio.artifactId() + " as audio: " + exit.stderrTail());
        }
        String log = read(Subprocess.stderrFile(argv, job.scratchDir()));
        Matcher outTime = OUT_TIME.matcher(read(progress));
        double durationS = 0;
        while (outTime.find()) {
            durationS = Long.parseLong(outTime.group(1)) / MICROS_PER_SECOND;
        }
        if (durationS <= 0) {
            throw Failures.invalidInput("audio", "artifact " + audio.artifactId() + " holds no audio");
        }
        ctx.progress(PERCENT_MEASURED, "measured " + durationS + " s");

        ObjectNode details = FrameCodec.mapper().createObjectNode();
        details.put("duration_s", durationS);
        details.put("loudness_lufs", Math.max(SILENT_LOUDNESS_LUFS, last(INTEGRATED, log)));
        details.put("loudness_range_lu", last(RANGE, log));
        details.put("peak_dbfs", Math.max(SILENT_PEAK_DBFS, last(PEAK, log)));
        details.put("silence_ratio", Math.min(1, silenceS(log, durationS) / durationS));
        details.put("silence_threshold_db", silenceDb);
        details.put("silence_min_s", silenceMinS);
        return ScoreArtifact.deliver(metric, details.get(metric).asDouble(), details, job, ctx);
    }

    /** Seconds of silence: the reported durations, plus a silence still running at the end when ffmpeg left it open. */
    private static double silenceS(String log, double durationS) {
        double total = 0;
        Matcher durations = SILENCE_DURATION.matcher(log);
        int ended = 0;
        while (durations.find()) {
            total += Double.parseDouble(durations.group(1));
            ended++;
        }
        Matcher starts = SILENCE_START.matcher(log);
        int started = 0;
        double lastStart = 0;
        while (starts.find()) {
            lastStart = Double.parseDouble(starts.group(1));
            started++;
        }
        return started > ended ? total + Math.max(0, durationS - lastStart) : total;
    }

    /** The last value {@code pattern} finds in ffmpeg's output; its absence means ffmpeg changed its format (a bug here). */
    private static double last(Pattern pattern, String text) throws WorkerFailure {
        Matcher matcher = pattern.matcher(text);
        String value = null;
        while (matcher.find()) {
            value = matcher.group(1);
        }
        if (value == null) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg reported no " + pattern.pattern());
        }
        return value.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value);
    }

    private static String read(Path file) throws WorkerFailure {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
