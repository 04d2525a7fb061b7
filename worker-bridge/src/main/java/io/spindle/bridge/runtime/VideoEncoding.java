package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The containers and codecs the video shims write: {@code format} mp4 (codec h264, the default, or mpeg4; audio AAC)
 * or webm (codec vp9, the default, or vp8; audio Opus). Encoder settings favour speed: a node's cores are shared.
 */
enum VideoEncoding {
    MP4("mp4", "video/mp4", "h264", Map.of(
            "h264", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"),
            "mpeg4", List.of("-c:v", "mpeg4", "-q:v", "5", "-pix_fmt", "yuv420p")),
            List.of("-c:a", "aac", "-b:a", "128k"), List.of("-movflags", "+faststart")),
    WEBM("webm", "video/webm", "vp9", Map.of(
            "vp9", List.of("-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p"),
            "vp8", List.of("-c:v", "libvpx", "-b:v", "1M", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p")),
            List.of("-c:a", "libopus", "-b:a", "96k"), List.of());

    static final String FORMAT_FIELD = "format";
    static final String CODEC_FIELD = "codec";
    static final String KIND = "video";

    private final String extension;
    private final String mime;
    private final String defaultCodec;
    private final Map<String, List<String>> videoCodecs;
    private final List<String> audioCodec;
    private final List<String> muxer;

    VideoEncoding(String extension, String mime, String defaultCodec, Map<String, List<String>> videoCodecs, List<String> audioCodec,
                  List<String> muxer) {
        this.extension = extension;
        this.mime = mime;
        this.defaultCodec = defaultCodec;
        this.videoCodecs = videoCodecs;
        this.audioCodec = audioCodec;
        this.muxer = muxer;
    }

    /** The {@code format} setting (input, then params), mp4 when absent. */
    static VideoEncoding of(RunFields fields) throws WorkerFailure {
        String format = fields.string(FORMAT_FIELD, MP4.extension).toLowerCase(Locale.ROOT);
        for (VideoEncoding encoding : values()) {
            if (encoding.extension.equals(format)) {
                return encoding;
            }
        }
        throw Failures.unsupported(FORMAT_FIELD, "'" + format + "' is not a video format written here (mp4, webm)");
    }

    /** The ffmpeg arguments of the {@code codec} setting, this format's default when absent. */
    List<String> videoArgs(RunFields fields) throws WorkerFailure {
        String codec = fields.string(CODEC_FIELD, defaultCodec).toLowerCase(Locale.ROOT);
        List<String> args = videoCodecs.get(codec);
        if (args == null) {
            throw Failures.unsupported(CODEC_FIELD, "'" + codec + "' cannot go in " + extension + " here (" + videoCodecs.keySet() + ")");
        }
        return args;
    }

    List<String> audioArgs() {
        return audioCodec;
    }

    List<String> muxerArgs() {
        return muxer;
    }

    String fileName() {
        return "video." + extension;
    }

    String extension() {
        return extension;
    }

    String mime() {
        return mime;
    }
}
