package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An OpenAI-compatible HTTP API (OpenAI itself, or a local server speaking its routes). {@code audio.tts} calls
 * {@code POST /v1/audio/speech} with the config's {@code model_ref} as model; {@code audio.transcribe} uploads to
 * {@code /v1/audio/transcriptions} ({@link OpenAiTranscription}); {@code text.chat} and {@code text.generate} stream
 * from {@code /v1/chat/completions} and {@code /v1/completions} ({@link OpenAiText}). Params: {@code base_url} (default
 * the node's {@value #BASE_URL_ENV}, else {@value #DEFAULT_BASE_URL}; with or without {@code /v1}), {@code api_key_env} (the NAME of the environment
 * variable holding the key; default {@value #DEFAULT_KEY_ENV} when set, else no key), {@code timeout_ms}; per job
 * or per config {@code voice}, {@code speed} and {@code format}. {@code image.generate} is {@link OpenAiImages}.
 */
public final class OpenAiCompatible implements RuntimeShim {
    public static final String BACKEND = "openai";
    public static final String TTS = "audio.tts";
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";
    public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";
    /** The environment variable OpenAI's own clients read for the base URL; the default when params name none. */
    public static final String BASE_URL_ENV = "OPENAI_BASE_URL";
    static final String SPEECH_PATH = "/v1/audio/speech";
    static final String DEFAULT_VOICE = "alloy";
    static final int MAX_TEXT_CHARS = 4_096;
    static final double MIN_SPEED = 0.25;
    static final double MAX_SPEED = 4.0;
    static final double DEFAULT_SPEED = 1.0;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final String API_VERSION_SUFFIX = "/v1";
    private static final double PERCENT_CALLING = 5;
    private static final double PERCENT_ANSWERED = 90;
    private static final double PERCENT_DONE = 100;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(TTS, Transcript.JOB_TYPE, TextRequest.GENERATE, TextRequest.CHAT, OpenAiImages.JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty(); // the server's reachability is a per-job (transient) matter
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        if (job.type().equals(TTS)) {
            return speech(job, ctx);
        }
        if (job.type().equals(Transcript.JOB_TYPE)) {
            return OpenAiTranscription.run(job, ctx);
        }
        if (job.type().equals(OpenAiImages.JOB_TYPE)) {
            return OpenAiImages.generate(job, ctx);
        }
        return OpenAiText.run(job, ctx, model(job));
    }

    private ObjectNode speech(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String text = fields.requiredText("text", MAX_TEXT_CHARS);
        String voice = fields.string("voice", DEFAULT_VOICE);
        double speed = fields.number("speed", DEFAULT_SPEED, MIN_SPEED, MAX_SPEED);
        SpeechFormat format = SpeechFormat.of(fields);
        String model = model(job);
        URI url = endpoint(fields, SPEECH_PATH);
        String key = HttpCalls.secret(fields, "api_key_env", DEFAULT_KEY_ENV);

        ObjectNode body = FrameCodec.mapper().createObjectNode()
                .put("model", model).put("input", text).put("voice", voice)
                .put("response_format", format.extension()).put("speed", speed);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Deadlines.budget(job, DEFAULT_TIMEOUT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        ctx.progress(PERCENT_CALLING, "calling " + url + " (model " + model + ", voice " + voice + ")");
        HttpResponse<byte[]> response = HttpCalls.send(request.build(), ctx);
        ctx.progress(PERCENT_ANSWERED, "received " + response.body().length + " bytes");

        Path file = job.scratchDir().resolve(format.fileName());
        write(file, response.body());
        ObjectNode outputs = SpeechAudio.declare(file, format, ctx);
        if (format == SpeechFormat.WAV) {
            try {
                outputs.put("duration_ms", SpeechAudio.wavDurationMs(file));
            } catch (WorkerFailure unreadable) {
                // A streamed WAV may carry no length in its header; the audio is still the server's answer.
            }
        }
        outputs.put("backend", BACKEND).put("model", model).put("voice", voice);
        ctx.progress(PERCENT_DONE, "wrote " + file.getFileName());
        return outputs;
    }

    static String model(JobRun job) throws WorkerFailure {
        if (job.modelRef() == null || job.modelRef().isBlank()) {
            throw WorkerFailure.permanent(Failures.INVALID_PARAMS, "model_ref: config " + job.configId() + " names no model (e.g. tts-1-hd, whisper-1, gpt-4o-mini)");
        }
        return job.modelRef();
    }

    /** {@code base_url} + {@code path}, accepting a base URL that already ends in {@code /v1}. */
    static URI endpoint(RunFields fields, String path) throws WorkerFailure {
        String fromEnv = System.getenv(BASE_URL_ENV);
        String base = fields.param("base_url", fromEnv == null || fromEnv.isBlank() ? DEFAULT_BASE_URL : fromEnv).replaceAll("/+$", "");
        if (base.endsWith(API_VERSION_SUFFIX)) {
            base = base.substring(0, base.length() - API_VERSION_SUFFIX.length());
        }
        HttpCalls.url("base_url", base);
        return HttpCalls.url("base_url", base + path);
    }

    static byte[] json(ObjectNode body) throws WorkerFailure {
        try {
            return FrameCodec.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw WorkerFailure.permanent(Failures.INVALID_INPUT, "cannot encode the request: " + e.getMessage());
        }
    }

    static void write(Path file, byte[] bytes) throws WorkerFailure {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
