package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code audio.tts} on a local engine run once per job: the text goes in through a file (never the command line, so
 * no text can pass for an option), the engine writes a WAV, and {@link SpeechAudio} encodes and declares it.
 * Settings (input first, then params): {@code voice} (else the config's {@code model_ref}, else the engine's
 * default), {@code rate} in words per minute, {@code format} wav, mp3 or opus.
 */
abstract class LocalTts implements RuntimeShim {
    public static final String JOB_TYPE = "audio.tts";
    static final int MAX_TEXT_CHARS = 20_000;
    static final int DEFAULT_RATE_WPM = 175;
    static final int MIN_RATE_WPM = 80;
    static final int MAX_RATE_WPM = 450;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final double PERCENT_STARTED = 5;
    private static final double PERCENT_SYNTHESIZED = 70;
    private static final double PERCENT_DONE = 100;

    /** The engine's executable, looked up on the PATH. */
    abstract String engine();

    abstract String defaultVoice();

    /** The engine's command line writing {@code text}'s speech to {@code wav}. */
    abstract List<String> command(String voice, long rateWpm, Path text, Path wav);

    /** Fails permanently for a voice the engine does not have, before the engine runs. */
    void checkVoice(String voice) throws WorkerFailure {}

    /** The failure for an engine that exited non-zero: a crashed runtime (transient) unless a subclass knows better. */
    WorkerFailure failure(Subprocess.Exit exit) {
        return WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, engine() + " exited " + exit.code() + ": " + exit.stderrTail());
    }

    @Override
    public List<String> jobTypes() {
        return List.of(JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Subprocess.missing(engine(), engine());
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String text = fields.requiredText("text", MAX_TEXT_CHARS);
        String voice = fields.string("voice", job.modelRef() == null || job.modelRef().isBlank() ? defaultVoice() : job.modelRef());
        long rate = fields.integer("rate", DEFAULT_RATE_WPM, MIN_RATE_WPM, MAX_RATE_WPM);
        SpeechFormat format = SpeechFormat.of(fields);
        SpeechAudio.checkEncodable(format);
        checkVoice(voice);

        Path textFile = job.scratchDir().resolve(".input.txt");
        Path wav = job.scratchDir().resolve(".engine.wav");
        write(textFile, text);
        ctx.progress(PERCENT_STARTED, "synthesizing " + text.length() + " characters with " + engine() + ", voice " + voice);
        Subprocess.Exit exit = Subprocess.run(command(voice, rate, textFile, wav), job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            throw failure(exit);
        }
        if (!Files.isRegularFile(wav)) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, engine() + " exited 0 but wrote no audio: " + exit.stderrTail());
        }
        ctx.progress(PERCENT_SYNTHESIZED, "synthesized; writing " + format.extension());
        ObjectNode outputs = SpeechAudio.deliver(wav, format, job, ctx);
        outputs.put("backend", backend());
        outputs.put("voice", voice);
        outputs.put("rate", rate);
        ctx.progress(PERCENT_DONE, "wrote " + format.fileName());
        return outputs;
    }

    private static void write(Path file, String text) throws WorkerFailure {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
