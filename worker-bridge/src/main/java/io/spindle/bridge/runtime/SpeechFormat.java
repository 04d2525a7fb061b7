package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The audio formats the TTS shims write: engines produce WAV, ffmpeg encodes the others from it. */
public enum SpeechFormat {
    WAV("wav", "audio/wav", List.of()),
    MP3("mp3", "audio/mpeg", List.of("-codec:a", "libmp3lame", "-q:a", "4")),
    /** Opus in an Ogg container, the usual file form of Opus. */
    OPUS("opus", "audio/ogg", List.of("-codec:a", "libopus", "-b:a", "48k"));

    public static final String FIELD = "format";

    private final String extension;
    private final String mime;
    private final List<String> ffmpegCodec;

    SpeechFormat(String extension, String mime, List<String> ffmpegCodec) {
        this.extension = extension;
        this.mime = mime;
        this.ffmpegCodec = ffmpegCodec;
    }

    public String extension() {
        return extension;
    }

    public String mime() {
        return mime;
    }

    /** ffmpeg's output codec options for this format (empty for WAV, which needs no encoding). */
    List<String> ffmpegCodec() {
        return ffmpegCodec;
    }

    /** The file name a shim writes in its scratch dir. */
    public String fileName() {
        return "speech." + extension;
    }

    /** The format named by the run's {@code format} setting (input, then params), WAV by default. */
    public static SpeechFormat of(RunFields fields) throws WorkerFailure {
        String name = fields.string(FIELD, WAV.extension).toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extension.equals(name)).findFirst()
                .orElseThrow(() -> Failures.unsupported(FIELD, "'" + name + "' is not one of wav, mp3, opus"));
    }
}
