package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code video.thumbnail}: the frame of the input {@code video} at {@code time_s} (default 0) as a PNG, scaled to
 * {@code width} (height kept in proportion) when given. A time at or past the video's end is bad input.
 */
final class VideoThumbnail implements FfmpegVideo.VideoJob {
    static final String FILE_NAME = "thumbnail.png";
    static final String MIME = "image/png";
    static final String KIND = "image";
    static final double MAX_TIME_S = 24 * 3600;

    @Override
    public ObjectNode run(JobRun job, RunFields fields, WorkerContext ctx) throws WorkerFailure {
        InputArtifact video = fields.inputFile("video");
        double time = fields.number("time_s", 0, 0, MAX_TIME_S);
        long width = FfmpegVideo.given(job, "width") ? FfmpegVideo.side(fields, "width", 0, FfmpegVideo.MAX_WIDTH) : 0;
        VideoProbe probe = VideoProbe.ofInput("video", video, job, ctx);
        if (!probe.hasVideo()) {
            throw Failures.invalidInput("video", "artifact " + video.artifactId() + " has no video stream");
        }
        if (probe.durationSeconds() > 0 && time >= probe.durationSeconds()) {
            throw Failures.invalidInput("time_s", "must be before the video's end at " + probe.durationSeconds() + " s, was " + time);
        }
        ctx.progress(FfmpegVideo.PERCENT_PROBED, "taking the frame at " + time + " s of " + video.artifactId());

        List<String> argv = FfmpegVideo.ffmpeg();
        argv.addAll(List.of("-ss", FfmpegVideo.seconds(time), "-i", video.path().toString(), "-frames:v", "1", "-update", "1"));
        if (width > 0) {
            argv.addAll(List.of("-vf", "scale=" + width + ":-2"));
        }
        Path file = job.scratchDir().resolve(FILE_NAME);
        argv.add(file.toString());
        FfmpegVideo.encode(argv, job, ctx);
        ctx.progress(FfmpegVideo.PERCENT_ENCODED, "extracted");

        ObjectNode outputs = FfmpegVideo.declare(file, KIND, MIME, job, ctx);
        outputs.remove("duration_ms");
        outputs.put("time_s", time);
        outputs.put("source", video.artifactId());
        return outputs;
    }
}
