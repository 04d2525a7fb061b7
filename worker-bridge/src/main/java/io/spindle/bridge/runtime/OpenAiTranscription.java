package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;

/**
 * {@code audio.transcribe} on the {@code openai} backend: uploads the input's {@code audio} artifact to
 * {@code POST /v1/audio/transcriptions} (multipart, the config's {@code model_ref} as model, e.g. whisper-1) and
 * delivers the answer's text as a {@link Transcript}. Optional settings: {@code language} (ISO-639-1, a hint),
 * {@code prompt}, {@code temperature}.
 */
final class OpenAiTranscription {
    static final String PATH = "/v1/audio/transcriptions";
    static final int MAX_PROMPT_CHARS = 4_000;
    /** OpenAI's servers tell the audio's format by the file name's extension, so the upload always has one. */
    private static final Map<String, String> EXTENSIONS = Map.of(
            "audio/wav", "wav", "audio/x-wav", "wav", "audio/mpeg", "mp3", "audio/ogg", "ogg", "audio/opus", "opus",
            "audio/flac", "flac", "audio/webm", "webm", "audio/mp4", "m4a", "video/mp4", "mp4");
    private static final String FALLBACK_EXTENSION = "wav";
    private static final long MILLIS_PER_SECOND = 1_000;
    private static final double PERCENT_UPLOADING = 5;
    private static final double PERCENT_ANSWERED = 90;
    private static final double PERCENT_DONE = 100;

    private OpenAiTranscription() {}

    static ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        InputArtifact audio = fields.inputFile("audio");
        String language = fields.string("language", null);
        String prompt = fields.string("prompt", null);
        if (prompt != null && prompt.length() > MAX_PROMPT_CHARS) {
            throw Failures.invalidInput("prompt", "longer than " + MAX_PROMPT_CHARS + " characters");
        }
        double temperature = fields.number("temperature", 0, 0, 1);
        String model = OpenAiCompatible.model(job);
        URI url = OpenAiCompatible.endpoint(fields, PATH);
        String key = HttpCalls.secret(fields, "api_key_env", OpenAiCompatible.DEFAULT_KEY_ENV);

        MultipartForm form = new MultipartForm().field("model", model).field("response_format", "json")
                .field("temperature", Double.toString(temperature));
        if (language != null) {
            form.field("language", language);
        }
        if (prompt != null) {
            form.field("prompt", prompt);
        }
        try {
            form.file("file", fileName(audio), audio.mime(), audio.path());
        } catch (FileNotFoundException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "input.audio: cannot read " + audio.path() + ": " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Deadlines.budget(job, OpenAiCompatible.DEFAULT_TIMEOUT))
                .header("Content-Type", form.contentType())
                .POST(form.body());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        ctx.progress(PERCENT_UPLOADING, "uploading " + audio.artifactId() + " to " + url + " (model " + model + ")");
        HttpResponse<byte[]> response = HttpCalls.send(request.build(), ctx);
        JsonNode answer = answer(response, url);
        ctx.progress(PERCENT_ANSWERED, "transcribed");

        ObjectNode outputs = Transcript.deliver(answer.get("text").asText(), job, ctx);
        if (answer.path("duration").isNumber()) {
            outputs.put("duration_ms", Math.round(answer.get("duration").asDouble() * MILLIS_PER_SECOND));
        }
        outputs.put("backend", OpenAiCompatible.BACKEND).put("model", model);
        if (answer.path("language").isTextual()) {
            outputs.put("language", answer.get("language").asText());
        } else if (language != null) {
            outputs.put("language", language);
        }
        ctx.progress(PERCENT_DONE, "wrote " + Transcript.FILE_NAME);
        return outputs;
    }

    /** The answer's JSON; a 2xx without a text is a server not speaking the API (transient: it may be mid-deploy). */
    private static JsonNode answer(HttpResponse<byte[]> response, URI url) throws WorkerFailure {
        try {
            JsonNode answer = FrameCodec.mapper().readTree(response.body());
            if (answer != null && answer.path("text").isTextual()) {
                return answer;
            }
        } catch (IOException notJson) {
            // Reported below with the other malformed answers.
        }
        throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " answered " + response.statusCode()
                + " without a JSON {\"text\": …}");
    }

    /** The fetched file's own name when it has an extension, else one made from the artifact's media type. */
    private static String fileName(InputArtifact audio) {
        String own = audio.path().getFileName().toString();
        if (own.lastIndexOf('.') > 0) {
            return own;
        }
        String mime = audio.mime().toLowerCase(Locale.ROOT).split(";")[0].strip();
        return "audio." + EXTENSIONS.getOrDefault(mime, FALLBACK_EXTENSION);
    }
}
