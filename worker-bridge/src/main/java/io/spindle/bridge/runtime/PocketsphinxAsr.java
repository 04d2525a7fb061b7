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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code audio.transcribe} with pocketsphinx ({@code pocketsphinx_continuous}, CMU Sphinx 5prealpha as Debian packages
 * it) and {@code eval.wer} on its transcripts ({@link WerEval}). Any audio ffmpeg decodes is first converted to the
 * 16 kHz mono 16-bit WAV the acoustic model expects; the engine prints one line per utterance it hears.
 * Settings: {@code language} (input, params, else {@code model_ref}, else {@value #DEFAULT_LANGUAGE}) picks the
 * packaged model under {@value #MODEL_ROOT}; params {@code hmm}, {@code lm} and {@code dict} point at another model's
 * files on the node instead.
 */
public final class PocketsphinxAsr implements RuntimeShim {
    public static final String BACKEND = "pocketsphinx";
    static final String ENGINE = "pocketsphinx_continuous";
    static final String MODEL_ROOT = "/usr/share/pocketsphinx/model";
    static final String DEFAULT_LANGUAGE = "en-us";
    static final int SAMPLE_RATE = 16_000;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** A language names a model directory, so it must look like one ({@code en-us}, {@code de}), never a path. */
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z]{2,4})?");
    private static final double PERCENT_CONVERTING = 5;
    private static final double PERCENT_RECOGNIZING = 20;
    private static final double PERCENT_RECOGNIZED = 90;
    private static final double PERCENT_DONE = 100;

    /** What the engine heard in one audio file. */
    record Transcription(String text, long durationMs, String language) {}

    /** The three files of a Sphinx model: acoustic model directory, language model, pronunciation dictionary. */
    private record Model(String language, Path hmm, Path lm, Path dict) {}

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(Transcript.JOB_TYPE, WerEval.JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        Optional<String> missing = Subprocess.missing(ENGINE, "pocketsphinx pocketsphinx-en-us")
                .or(() -> Subprocess.missing(SpeechAudio.FFMPEG, SpeechAudio.FFMPEG).map(why -> why + "; it converts the audio for pocketsphinx"));
        if (missing.isPresent()) {
            return missing;
        }
        if (!Files.isDirectory(Path.of(MODEL_ROOT, DEFAULT_LANGUAGE))) {
            return Optional.of("no " + DEFAULT_LANGUAGE + " model in " + MODEL_ROOT + " (Debian: apt-get install pocketsphinx-en-us)");
        }
        return Optional.empty();
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        if (job.type().equals(WerEval.JOB_TYPE)) {
            return WerEval.run(job, ctx, this::transcribe);
        }
        RunFields fields = new RunFields(job);
        InputArtifact audio = fields.inputFile("audio");
        Transcription heard = transcribe(audio, job, ctx);
        ObjectNode outputs = Transcript.deliver(heard.text(), job, ctx);
        outputs.put("duration_ms", heard.durationMs());
        outputs.put("backend", BACKEND);
        outputs.put("language", heard.language());
        ctx.progress(PERCENT_DONE, "wrote " + Transcript.FILE_NAME);
        return outputs;
    }

    /** Converts {@code audio} and runs the engine on it; the words of all utterances, joined by spaces. */
    Transcription transcribe(InputArtifact audio, JobRun job, WorkerContext ctx) throws WorkerFailure {
        Model model = model(new RunFields(job), job);
        Path wav = job.scratchDir().resolve(".asr-input.wav");
        ctx.progress(PERCENT_CONVERTING, "converting " + audio.artifactId() + " (" + audio.mime() + ") to 16 kHz mono WAV");
        convert(audio, wav, job, ctx);
        long durationMs = durationMs(wav);

        ctx.progress(PERCENT_RECOGNIZING, "recognizing " + durationMs + " ms of speech (" + model.language() + ")");
        Path hypothesis = job.scratchDir().resolve(".asr-hypothesis.txt");
        List<String> argv = List.of(ENGINE, "-infile", wav.toString(), "-hmm", model.hmm().toString(),
                "-lm", model.lm().toString(), "-dict", model.dict().toString());
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx, hypothesis);
        if (!exit.ok()) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, ENGINE + " exited " + exit.code() + ": " + exit.stderrTail());
        }
        String text = read(hypothesis).lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.joining(" "));
        ctx.progress(PERCENT_RECOGNIZED, "recognized " + text.length() + " characters");
        return new Transcription(text, durationMs, model.language());
    }

    private static Model model(RunFields fields, JobRun job) throws WorkerFailure {
        String fallback = job.modelRef() == null || job.modelRef().isBlank() ? DEFAULT_LANGUAGE : job.modelRef();
        String language = fields.string("language", fallback);
        if (!LANGUAGE.matcher(language).matches()) {
            throw Failures.unsupported("language", "'" + language + "' is not a language code such as en-us");
        }
        Path packaged = Path.of(MODEL_ROOT, language);
        Path hmm = modelFile(fields, "hmm", packaged.resolve(language));
        Path lm = modelFile(fields, "lm", packaged.resolve(language + ".lm.bin"));
        Path dict = modelFile(fields, "dict", packaged.resolve("cmudict-" + language + ".dict"));
        if (!Files.isDirectory(hmm) || !Files.isReadable(lm) || !Files.isReadable(dict)) {
            throw Failures.unsupported("language", "no pocketsphinx model for '" + language + "' on this node (installed: "
                    + installedLanguages() + "; or set params hmm, lm and dict)");
        }
        return new Model(language, hmm, lm, dict);
    }

    /** A model file named by a param (the node's own files: never chosen by a job), which must exist, else {@code packaged}. */
    private static Path modelFile(RunFields fields, String param, Path packaged) throws WorkerFailure {
        String named = fields.param(param, null);
        if (named == null) {
            return packaged;
        }
        Path path = Path.of(named);
        if (!Files.exists(path)) {
            throw Failures.invalidParams(param, "no such file or directory on this node: " + named);
        }
        return path;
    }

    private static String installedLanguages() {
        try (Stream<Path> dirs = Files.list(Path.of(MODEL_ROOT))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "none";
        }
    }

    /** 16 kHz mono 16-bit PCM, whatever came in; audio ffmpeg cannot decode is the input's fault (permanent). */
    private static void convert(InputArtifact audio, Path wav, JobRun job, WorkerContext ctx) throws WorkerFailure {
        List<String> argv = List.of(SpeechAudio.FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", audio.path().toString(), "-vn", "-ac", "1", "-ar", Integer.toString(SAMPLE_RATE), "-c:a", "pcm_s16le", wav.toString());
        Subprocess.Exit exit = Subprocess.run(argv, job.scratchDir(), Deadlines.budget(job, DEFAULT_TIMEOUT), ctx);
        if (!exit.ok()) {
            throw Failures.invalidInput("audio", "ffmpeg cannot decode artifact " + audio.artifactId() + " as audio: " + exit.stderrTail());
        }
    }

    private static long durationMs(Path wav) throws WorkerFailure {
        try {
            return SpeechAudio.wavDurationMs(wav);
        } catch (WorkerFailure empty) {
            // ffmpeg wrote the file itself, so an empty or unreadable one means the input held no audio.
            throw Failures.invalidInput("audio", "holds no audio: " + empty.getMessage());
        }
    }

    private static String read(Path file) throws WorkerFailure {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
