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
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** The last steps every TTS shim shares: measure the WAV, encode it to the asked format, declare the artifact. */
public final class SpeechAudio {
    public static final String FFMPEG = "ffmpeg";
    public static final String ARTIFACT_KIND = "audio";
    private static final long MILLIS_PER_SECOND = 1_000;

    private SpeechAudio() {}

    /** The length of a WAV file in milliseconds; a file Java cannot read is a broken engine run (transient). */
    public static long wavDurationMs(Path wav) throws WorkerFailure {
        try (AudioInputStream stream = AudioSystem.getAudioInputStream(wav.toFile())) {
            long frames = stream.getFrameLength();
            float rate = stream.getFormat().getFrameRate();
            if (frames <= 0 || rate <= 0) {
                throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "the engine wrote an empty WAV file");
            }
            return Math.round(frames * MILLIS_PER_SECOND / (double) rate);
        } catch (UnsupportedAudioFileException | IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "the engine's WAV file is unreadable: " + e.getMessage());
        }
    }

    /** Fails permanently when {@code format} needs ffmpeg and this machine has none: checked before synthesis. */
    public static void checkEncodable(SpeechFormat format) throws WorkerFailure {
        if (format != SpeechFormat.WAV && !Subprocess.onPath(FFMPEG)) {
            throw Failures.unsupported(SpeechFormat.FIELD, format.extension() + " needs ffmpeg, which this node does not have");
        }
    }

    /**
     * Turns the engine's {@code wav} into the job's artifact in {@code format} and returns the outputs describing
     * it: artifact, format, mime, bytes, duration_ms.
     */
    public static ObjectNode deliver(Path wav, SpeechFormat format, JobRun job, WorkerContext ctx) throws WorkerFailure {
        long durationMs = wavDurationMs(wav);
        Path file = job.scratchDir().resolve(format.fileName());
        if (format == SpeechFormat.WAV) {
            move(wav, file);
        } else {
            encode(wav, file, format, job, ctx);
        }
        ObjectNode outputs = declare(file, format, ctx);
        outputs.put("duration_ms", durationMs);
        return outputs;
    }

    /** Declares {@code file} (already in {@code format}) as the job's audio artifact; returns artifact, format, mime, bytes. */
    public static ObjectNode declare(Path file, SpeechFormat format, WorkerContext ctx) throws WorkerFailure {
        ctx.artifact(file.getFileName().toString(), ARTIFACT_KIND, format.mime());
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        outputs.put("artifact", file.getFileName().toString());
        outputs.put(SpeechFormat.FIELD, format.extension());
        outputs.put("mime", format.mime());
        outputs.put("bytes", size(file));
        return outputs;
    }

    private static void encode(Path wav, Path target, SpeechFormat format, JobRun job, WorkerContext ctx) throws WorkerFailure {
        List<String> argv = new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", wav.toString()));
        argv.addAll(format.ffmpegCodec());
        argv.add(target.toString());
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, Duration.ofMinutes(1)), ctx);
        if (!exit.ok()) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "ffmpeg exited " + exit.code() + ": " + exit.stderrTail());
        }
    }

    private static void move(Path from, Path to) throws WorkerFailure {
        try {
            if (!from.equals(to)) {
                Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot move " + from + ": " + e.getMessage());
        }
    }

    private static long size(Path file) throws WorkerFailure {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
