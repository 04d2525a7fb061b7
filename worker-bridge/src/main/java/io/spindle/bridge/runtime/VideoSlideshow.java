package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code video.slideshow}: the input {@code images} one after another, each letterboxed into width×height, for
 * {@code seconds_per_image} each, or, with an input {@code audio} track and no such setting, for an equal share of
 * the audio's length, so the video ends with the sound. The audio (padded with silence if shorter) is the video's
 * sound track; the video lasts exactly images × seconds per image.
 */
final class VideoSlideshow implements FfmpegVideo.VideoJob {
    static final int MAX_IMAGES = 100;
    static final double DEFAULT_SECONDS_PER_IMAGE = 2;
    static final double MIN_SECONDS_PER_IMAGE = 0.1;
    static final double MAX_SECONDS_PER_IMAGE = 60;
    static final double MAX_TOTAL_SECONDS = 600;
    static final long DEFAULT_WIDTH = 640;
    static final long DEFAULT_HEIGHT = 360;
    static final long DEFAULT_FPS = 25;
    private static final String SECONDS_PER_IMAGE = "seconds_per_image";

    @Override
    public ObjectNode run(JobRun job, RunFields fields, WorkerContext ctx) throws WorkerFailure {
        List<InputArtifact> images = fields.inputFiles("images", MAX_IMAGES);
        InputArtifact audio = job.input().hasNonNull("audio") ? fields.inputFile("audio") : null;
        long width = FfmpegVideo.side(fields, "width", DEFAULT_WIDTH, FfmpegVideo.MAX_WIDTH);
        long height = FfmpegVideo.side(fields, "height", DEFAULT_HEIGHT, FfmpegVideo.MAX_HEIGHT);
        long fps = fields.integer("fps", DEFAULT_FPS, FfmpegVideo.MIN_FPS, FfmpegVideo.MAX_FPS);
        VideoEncoding encoding = VideoEncoding.of(fields);
        List<String> videoArgs = encoding.videoArgs(fields);

        for (int i = 0; i < images.size(); i++) {
            if (!VideoProbe.ofInput("images[" + i + "]", images.get(i), job, ctx).hasVideo()) {
                throw Failures.invalidInput("images[" + i + "]", "artifact " + images.get(i).artifactId() + " is not an image");
            }
        }
        double audioSeconds = 0;
        if (audio != null) {
            VideoProbe sound = VideoProbe.ofInput("audio", audio, job, ctx);
            if (!sound.hasAudio()) {
                throw Failures.invalidInput("audio", "artifact " + audio.artifactId() + " has no audio stream");
            }
            audioSeconds = sound.durationSeconds();
        }
        double perImage = perImage(job, fields, audioSeconds, images.size());
        double total = perImage * images.size();
        if (total > MAX_TOTAL_SECONDS) {
            throw Failures.invalidInput(SECONDS_PER_IMAGE, "the slideshow would last " + total + " s, more than " + MAX_TOTAL_SECONDS);
        }
        ctx.progress(FfmpegVideo.PERCENT_PROBED, images.size() + " images of " + perImage + " s" + (audio == null ? "" : " with audio"));

        List<String> argv = FfmpegVideo.ffmpeg();
        for (InputArtifact image : images) {
            argv.addAll(List.of("-loop", "1", "-framerate", Long.toString(fps), "-t", FfmpegVideo.seconds(perImage),
                    "-i", image.path().toString()));
        }
        if (audio != null) {
            argv.addAll(List.of("-i", audio.path().toString()));
        }
        argv.addAll(List.of("-filter_complex", graph(images.size(), width, height, fps), "-map", "[v]"));
        if (audio != null) {
            argv.addAll(List.of("-map", images.size() + ":a:0", "-af", "apad"));
            argv.addAll(encoding.audioArgs());
        }
        argv.addAll(List.of("-t", FfmpegVideo.seconds(total)));
        argv.addAll(videoArgs);
        argv.addAll(encoding.muxerArgs());
        Path file = job.scratchDir().resolve(encoding.fileName());
        argv.add(file.toString());
        FfmpegVideo.encode(argv, job, ctx);
        ctx.progress(FfmpegVideo.PERCENT_ENCODED, "encoded");

        ObjectNode outputs = FfmpegVideo.declare(file, VideoEncoding.KIND, encoding.mime(), job, ctx);
        outputs.put("format", encoding.extension());
        outputs.put("images", images.size());
        outputs.put(SECONDS_PER_IMAGE, perImage);
        return outputs;
    }

    /** The setting when given; else the audio's length shared out; else the default. */
    private static double perImage(JobRun job, RunFields fields, double audioSeconds, int images) throws WorkerFailure {
        if (FfmpegVideo.given(job, SECONDS_PER_IMAGE) || audioSeconds <= 0) {
            return fields.number(SECONDS_PER_IMAGE, DEFAULT_SECONDS_PER_IMAGE, MIN_SECONDS_PER_IMAGE, MAX_SECONDS_PER_IMAGE);
        }
        double share = audioSeconds / images;
        if (share < MIN_SECONDS_PER_IMAGE || share > MAX_SECONDS_PER_IMAGE) {
            throw Failures.invalidInput("audio", "its " + audioSeconds + " s shared by " + images + " images gives " + share
                    + " s each, outside " + MIN_SECONDS_PER_IMAGE + "–" + MAX_SECONDS_PER_IMAGE + " s: set " + SECONDS_PER_IMAGE);
        }
        return share;
    }

    /** Each image letterboxed to the frame at the frame rate, then all of them in a row. */
    private static String graph(int images, long width, long height, long fps) {
        List<String> chains = new ArrayList<>();
        StringBuilder concat = new StringBuilder();
        for (int i = 0; i < images; i++) {
            chains.add("[" + i + ":v]scale=" + width + ":" + height + ":force_original_aspect_ratio=decrease,pad=" + width + ":" + height
                    + ":(ow-iw)/2:(oh-ih)/2,setsar=1,fps=" + fps + ",format=yuv420p[v" + i + "]");
            concat.append("[v").append(i).append(']');
        }
        chains.add(concat + "concat=n=" + images + ":v=1:a=0[v]");
        return String.join(";", chains);
    }
}
