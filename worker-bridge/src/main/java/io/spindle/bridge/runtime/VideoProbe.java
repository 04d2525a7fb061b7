package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What ffprobe says about a media file: its streams and length. The video shims probe every input before ffmpeg
 * runs, so a file that is no video, image or audio fails permanently naming its field instead of as a crashed
 * engine, and probe their outputs to report what they wrote.
 */
record VideoProbe(double durationSeconds, boolean hasVideo, boolean hasAudio, int width, int height, double fps) {
    static final String FFPROBE = "ffprobe";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final String REPORT = ".ffprobe.json";

    /** Probes an input file; one ffprobe cannot read is bad input named {@code field}. */
    static VideoProbe ofInput(String field, InputArtifact input, JobRun job, WorkerContext ctx) throws WorkerFailure {
        VideoProbe probe = run(input.path(), job, ctx);
        if (probe == null) {
            throw Failures.invalidInput(field, "artifact " + input.artifactId() + " (" + input.mime() + ") is not a media file ffprobe can read");
        }
        return probe;
    }

    /** Probes a file the shim wrote; one ffprobe cannot read is a broken engine run (transient). */
    static VideoProbe ofOutput(Path file, JobRun job, WorkerContext ctx) throws WorkerFailure {
        VideoProbe probe = run(file, job, ctx);
        if (probe == null) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg wrote " + file.getFileName() + ", which ffprobe cannot read");
        }
        return probe;
    }

    long durationMs() {
        return Math.round(durationSeconds * 1000);
    }

    /** Null when ffprobe exits non-zero (not a media file). */
    private static VideoProbe run(Path file, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Path report = job.scratchDir().resolve(REPORT);
        List<String> argv = List.of(FFPROBE, "-v", "error", "-show_entries",
                "format=duration:stream=codec_type,width,height,avg_frame_rate,duration", "-of", "json", "-o", report.toString(),
                file.toString());
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), PROBE_TIMEOUT, ctx);
        if (!exit.ok()) {
            return null;
        }
        try {
            JsonNode json = FrameCodec.mapper().readTree(Files.readAllBytes(report));
            Files.deleteIfExists(report);
            return parse(json);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read ffprobe's report: " + e.getMessage());
        }
    }

    static VideoProbe parse(JsonNode json) {
        boolean video = false;
        boolean audio = false;
        int width = 0;
        int height = 0;
        double fps = 0;
        double longestStream = 0;
        for (JsonNode stream : json.path("streams")) {
            String type = stream.path("codec_type").asText();
            longestStream = Math.max(longestStream, number(stream.path("duration").asText()));
            if ("video".equals(type) && !video) {
                video = true;
                width = stream.path("width").asInt();
                height = stream.path("height").asInt();
                fps = rate(stream.path("avg_frame_rate").asText());
            } else if ("audio".equals(type)) {
                audio = true;
            }
        }
        double duration = number(json.path("format").path("duration").asText());
        return new VideoProbe(duration > 0 ? duration : longestStream, video, audio, width, height, fps);
    }

    /** "25/1" → 25; "0/0" or anything unreadable → 0. */
    private static double rate(String fraction) {
        int slash = fraction.indexOf('/');
        if (slash < 0) {
            return number(fraction);
        }
        double denominator = number(fraction.substring(slash + 1));
        return denominator == 0 ? 0 : number(fraction.substring(0, slash)) / denominator;
    }

    private static double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : 0;
        } catch (NumberFormatException e) {
            return 0; // "N/A" for a still image
        }
    }
}
