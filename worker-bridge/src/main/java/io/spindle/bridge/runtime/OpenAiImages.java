package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * The {@code openai} backend's {@code image.generate}: {@code POST /v1/images/generations} with the config's
 * {@code model_ref} (e.g. {@code dall-e-3}, {@code gpt-image-1}), the images asked for as base64 in the answer and
 * written as artifacts {@code image.<format>} (several: {@code image-1.png}, {@code image-2.png}…), their format
 * read from their bytes. Settings: {@code prompt} (required), {@code size} ({@code WxH} or {@code auto}), {@code n},
 * {@code quality}; base URL, key and timeout as for {@link OpenAiCompatible}.
 */
final class OpenAiImages {
    static final String JOB_TYPE = "image.generate";
    static final String IMAGES_PATH = "/v1/images/generations";
    static final int MAX_PROMPT_CHARS = 32_000;
    static final String DEFAULT_SIZE = "1024x1024";
    static final int MIN_SIDE = 64;
    static final int MAX_SIDE = 4_096;
    static final long MAX_IMAGES = 4;
    static final Set<String> QUALITIES = Set.of("auto", "standard", "hd", "low", "medium", "high");
    /** Models that always answer base64 and refuse {@code response_format}. */
    static final String ALWAYS_BASE64_PREFIX = "gpt-image";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);
    private static final String SIZE_PATTERN = "auto|[0-9]{2,4}x[0-9]{2,4}";
    private static final double PERCENT_CALLING = 5;
    private static final double PERCENT_ANSWERED = 90;
    private static final double PERCENT_DONE = 100;

    private OpenAiImages() {}

    static ObjectNode generate(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String prompt = fields.requiredText("prompt", MAX_PROMPT_CHARS);
        String size = size(fields);
        long n = fields.integer("n", 1, 1, MAX_IMAGES);
        String quality = fields.string("quality", null);
        if (quality != null && !QUALITIES.contains(quality)) {
            throw Failures.unsupported("quality", "'" + quality + "' is not one of " + QUALITIES);
        }
        String model = OpenAiCompatible.model(job);
        URI url = OpenAiCompatible.endpoint(fields, IMAGES_PATH);
        String key = HttpCalls.secret(fields, "api_key_env", OpenAiCompatible.DEFAULT_KEY_ENV);

        ObjectNode body = FrameCodec.mapper().createObjectNode().put("model", model).put("prompt", prompt).put("n", n).put("size", size);
        if (quality != null) {
            body.put("quality", quality);
        }
        if (!model.startsWith(ALWAYS_BASE64_PREFIX)) {
            body.put("response_format", "b64_json");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Deadlines.budget(job, DEFAULT_TIMEOUT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OpenAiCompatible.json(body)));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        ctx.progress(PERCENT_CALLING, "calling " + url + " (model " + model + ", " + n + " × " + size + ")");
        HttpResponse<byte[]> response = HttpCalls.send(request.build(), ctx);
        ctx.progress(PERCENT_ANSWERED, "received " + response.body().length + " bytes");

        JsonNode data = parse(response.body(), url).path("data");
        if (!data.isArray() || data.isEmpty()) {
            throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " answered no images");
        }
        ObjectNode outputs = null;
        ArrayNode artifacts = FrameCodec.mapper().createArrayNode();
        for (int i = 0; i < data.size(); i++) {
            byte[] image = decode(data.get(i), url);
            ImageFormat format = ImageFormat.detect(image).orElseThrow(() -> WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR,
                    url + " answered bytes that are no png, jpeg, webp or gif image"));
            Path file = job.scratchDir().resolve(data.size() == 1 ? format.fileName() : "image-" + (i + 1) + "." + format.extension());
            OpenAiCompatible.write(file, image);
            ObjectNode described = ImageArtifact.declare(file, format, ctx);
            artifacts.add(described.get("artifact"));
            if (outputs == null) {
                outputs = described;
                if (data.get(i).path("revised_prompt").isTextual()) {
                    outputs.put("revised_prompt", data.get(i).get("revised_prompt").asText());
                }
            }
        }
        outputs.set("artifacts", artifacts);
        outputs.put("size", size).put("backend", OpenAiCompatible.BACKEND).put("model", model);
        ctx.progress(PERCENT_DONE, "wrote " + artifacts.size() + " image(s)");
        return outputs;
    }

    private static String size(RunFields fields) throws WorkerFailure {
        String size = fields.string("size", DEFAULT_SIZE);
        if (!size.matches(SIZE_PATTERN)) {
            throw Failures.unsupported("size", "'" + size + "' is not WIDTHxHEIGHT (e.g. " + DEFAULT_SIZE + ") or auto");
        }
        if (!size.equals("auto")) {
            for (String side : size.split("x")) {
                int pixels = Integer.parseInt(side);
                if (pixels < MIN_SIDE || pixels > MAX_SIDE) {
                    throw Failures.unsupported("size", "each side must be between " + MIN_SIDE + " and " + MAX_SIDE + ", was " + size);
                }
            }
        }
        return size;
    }

    private static JsonNode parse(byte[] body, URI url) throws WorkerFailure {
        try {
            return FrameCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " answered no JSON: " + e.getMessage());
        }
    }

    private static byte[] decode(JsonNode image, URI url) throws WorkerFailure {
        if (!image.path("b64_json").isTextual()) {
            // A server that answers with a URL would make the worker fetch from wherever it says; refused instead.
            throw WorkerFailure.permanent(Failures.UPSTREAM_REJECTED, url + " answered no b64_json image (a url answer is not supported)");
        }
        try {
            return Base64.getMimeDecoder().decode(image.get("b64_json").asText());
        } catch (IllegalArgumentException e) {
            throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " answered an image that is not base64: " + e.getMessage());
        }
    }
}
