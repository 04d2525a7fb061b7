package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code video.transcode}: the input {@code video} in another {@code format}/{@code codec}, optionally scaled
 * ({@code width} and/or {@code height}; one alone keeps the proportions) and at another {@code fps}. Its first audio
 * track, if any, is re-encoded for the new container.
 */
final class VideoTranscode implements FfmpegVideo.VideoJob {

    @Override
    public ObjectNode run(JobRun job, RunFields fields, WorkerContext ctx) throws WorkerFailure {
        InputArtifact video = fields.inputFile("video");
        VideoEncoding encoding = VideoEncoding.of(fields);
        List<String> videoArgs = encoding.videoArgs(fields);
        long width = FfmpegVideo.given(job, "width") ? FfmpegVideo.side(fields, "width", 0, FfmpegVideo.MAX_WIDTH) : -2;
        long height = FfmpegVideo.given(job, "height") ? FfmpegVideo.side(fields, "height", 0, FfmpegVideo.MAX_HEIGHT) : -2;
        long fps = FfmpegVideo.given(job, "fps") ? fields.integer("fps", 0, FfmpegVideo.MIN_FPS, FfmpegVideo.MAX_FPS) : 0;
        VideoProbe probe = VideoProbe.ofInput("video", video, job, ctx);
        if (!probe.hasVideo()) {
            throw Failures.invalidInput("video", "artifact " + video.artifactId() + " has no video stream");
        }
        ctx.progress(FfmpegVideo.PERCENT_PROBED, "transcoding " + video.artifactId() + " (" + probe.durationSeconds() + " s) to "
                + encoding.extension());

        List<String> filters = new ArrayList<>();
        if (width > 0 || height > 0) {
            filters.add("scale=" + width + ":" + height);
        }
        if (fps > 0) {
            filters.add("fps=" + fps);
        }
        List<String> argv = FfmpegVideo.ffmpeg();
        argv.addAll(List.of("-i", video.path().toString(), "-map", "0:v:0", "-map", "0:a:0?"));
        if (!filters.isEmpty()) {
            argv.addAll(List.of("-vf", String.join(",", filters)));
        }
        argv.addAll(videoArgs);
        argv.addAll(encoding.audioArgs());
        argv.addAll(encoding.muxerArgs());
        Path file = job.scratchDir().resolve(encoding.fileName());
        argv.add(file.toString());
        FfmpegVideo.encode(argv, job, ctx);
        ctx.progress(FfmpegVideo.PERCENT_ENCODED, "transcoded");

        ObjectNode outputs = FfmpegVideo.declare(file, VideoEncoding.KIND, encoding.mime(), job, ctx);
        outputs.put("format", encoding.extension());
        outputs.put("source", video.artifactId());
        return outputs;
    }
}
