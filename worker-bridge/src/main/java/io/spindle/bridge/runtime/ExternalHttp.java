package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code external.http}: calls a user's HTTP endpoint with the job's input as the JSON body. Params (the config
 * only, never the job): {@code url} (required), {@code method} (default POST), {@code headers} (an object of
 * strings), {@code bearer_token_env} (the NAME of an environment variable whose value is sent as a bearer token),
 * {@code timeout_ms}. The response body becomes the artifact {@value #JSON_ARTIFACT} (or {@value #BINARY_ARTIFACT}
 * with the response's media type); a JSON body up to {@value #MAX_INLINE_BYTES} bytes is also returned as outputs.
 */
public final class ExternalHttp implements RuntimeShim {
    public static final String BACKEND = "http";
    public static final String JOB_TYPE = "external.http";
    public static final String JSON_ARTIFACT = "response.json";
    public static final String BINARY_ARTIFACT = "response.bin";
    static final int MAX_INLINE_BYTES = 64 * 1024;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> BODILESS = Set.of("GET", "DELETE");
    private static final String JSON_MIME = "application/json";
    private static final double PERCENT_CALLING = 5;
    private static final double PERCENT_DONE = 100;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(JOB_TYPE);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        URI url = HttpCalls.url("url", fields.requiredParam("url"));
        String method = fields.param("method", "POST").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw Failures.unsupported("params.method", "'" + method + "' is not one of " + METHODS);
        }
        HttpRequest.BodyPublisher body = BODILESS.contains(method) ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(json(job.input()));
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Deadlines.budget(job, DEFAULT_TIMEOUT))
                .header("Accept", JSON_MIME + ", */*")
                .method(method, body);
        if (!BODILESS.contains(method)) {
            request.header("Content-Type", JSON_MIME);
        }
        for (Map.Entry<String, String> header : headers(job).entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        String token = HttpCalls.secret(fields, "bearer_token_env", null);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }

        ctx.progress(PERCENT_CALLING, method + " " + url);
        HttpResponse<byte[]> response = HttpCalls.send(request.build(), ctx);
        String mime = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
        boolean isJson = mime.toLowerCase(Locale.ROOT).contains("json");
        String artifact = isJson ? JSON_ARTIFACT : BINARY_ARTIFACT;
        write(job.scratchDir().resolve(artifact), response.body());
        ctx.artifact(artifact, isJson ? "json" : "file", isJson ? JSON_MIME : mime);

        ObjectNode outputs = FrameCodec.mapper().createObjectNode()
                .put("status", response.statusCode())
                .put("content_type", mime)
                .put("bytes", response.body().length)
                .put("artifact", artifact);
        if (isJson && response.body().length <= MAX_INLINE_BYTES) {
            outputs.set("body", parse(response.body()));
        }
        ctx.progress(PERCENT_DONE, "HTTP " + response.statusCode() + ", " + response.body().length + " bytes");
        return outputs;
    }

    private static Map<String, String> headers(JobRun job) throws WorkerFailure {
        JsonNode headers = job.params().get("headers");
        if (headers == null || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject()) {
            throw Failures.invalidParams("headers", "must be an object of strings");
        }
        java.util.LinkedHashMap<String, String> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            if (!header.getValue().isTextual()) {
                throw Failures.invalidParams("headers." + header.getKey(), "must be a string");
            }
            values.put(header.getKey(), header.getValue().asText());
        }
        return values;
    }

    /** The JSON body, or a text node when the server said JSON but sent something else. */
    private static JsonNode parse(byte[] body) {
        try {
            return FrameCodec.mapper().readTree(body);
        } catch (IOException e) {
            return FrameCodec.mapper().getNodeFactory().textNode(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static byte[] json(JsonNode input) throws WorkerFailure {
        try {
            return FrameCodec.mapper().writeValueAsBytes(input);
        } catch (IOException e) {
            throw Failures.invalidInput("", "cannot be encoded as JSON: " + e.getMessage());
        }
    }

    private static void write(Path file, byte[] bytes) throws WorkerFailure {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
