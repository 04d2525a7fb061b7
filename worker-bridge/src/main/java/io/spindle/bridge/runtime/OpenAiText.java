package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code text.chat} ({@code POST /v1/chat/completions}) and {@code text.generate} ({@code POST /v1/completions}, the
 * prompt as is, no chat template) of the {@code openai} backend, streamed ({@code stream: true}): each chunk's text
 * is progress, and a server that stops sending mid-answer ends in a {@code timeout}. Speaks what OpenAI, vLLM,
 * Ollama and llama-server send; token counts come from the final {@code usage} chunk when the server sends one.
 */
final class OpenAiText {
    static final String CHAT_PATH = "/v1/chat/completions";
    static final String COMPLETIONS_PATH = "/v1/completions";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final String DONE = "[DONE]";
    private static final double PERCENT_CALLING = 1;

    private OpenAiText() {}

    static ObjectNode run(JobRun job, WorkerContext ctx, String model) throws WorkerFailure {
        TextRequest request = TextRequest.of(job);
        RunFields fields = new RunFields(job);
        URI url = OpenAiCompatible.endpoint(fields, request.isChat() ? CHAT_PATH : COMPLETIONS_PATH);
        String key = HttpCalls.secret(fields, "api_key_env", OpenAiCompatible.DEFAULT_KEY_ENV);
        Duration budget = Deadlines.budget(job, DEFAULT_TIMEOUT);
        long deadline = System.nanoTime() + budget.toNanos();

        HttpRequest.Builder call = HttpRequest.newBuilder(url)
                .timeout(budget)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body(request, model))));
        if (key != null) {
            call.header("Authorization", "Bearer " + key);
        }
        ctx.progress(PERCENT_CALLING, "calling " + url + " (model " + model + ")");
        HttpResponse<InputStream> response = HttpCalls.stream(call.build(), ctx);

        TextStream stream = new TextStream(ctx, request.maxTokens());
        String finish = null;
        JsonNode usage = null;
        try (ServerSentEvents events = new ServerSentEvents(response.body(), url.toString())) {
            for (Optional<String> data = events.next(deadline, budget, ctx); data.isPresent() && !data.get().equals(DONE);
                    data = events.next(deadline, budget, ctx)) {
                JsonNode chunk = parse(data.get(), url);
                if (chunk.has("error")) {
                    throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " failed mid-stream: " + chunk.get("error"));
                }
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
                JsonNode choice = chunk.path("choices").path(0);
                String piece = request.isChat() ? choice.path("delta").path("content").asText("") : choice.path("text").asText("");
                if (!piece.isEmpty()) {
                    stream.append(piece, 1);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        stream.report();
        int promptTokens = usage == null ? -1 : usage.path("prompt_tokens").asInt(-1);
        int completionTokens = usage == null ? stream.tokens() : usage.path("completion_tokens").asInt(stream.tokens());
        String finishReason = finish != null ? finish : stream.tokens() >= request.maxTokens() ? GeneratedText.LENGTH : GeneratedText.STOP;
        ObjectNode outputs = GeneratedText.deliver(stream.text(), finishReason, promptTokens, completionTokens, job, ctx);
        outputs.put("backend", OpenAiCompatible.BACKEND).put("model", model);
        return outputs;
    }

    private static ObjectNode body(TextRequest request, String model) {
        ObjectNode body = FrameCodec.mapper().createObjectNode();
        body.put("model", model).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (request.isChat()) {
            ArrayNode messages = body.putArray("messages");
            request.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        } else {
            body.put("prompt", request.prompt());
        }
        body.put("max_tokens", request.maxTokens()).put("temperature", request.temperature()).put("top_p", request.topP());
        request.seed().ifPresent(seed -> body.put("seed", seed));
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        return body;
    }

    private static JsonNode parse(String data, URI url) throws WorkerFailure {
        try {
            return FrameCodec.mapper().readTree(data);
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.UPSTREAM_ERROR, url + " sent a chunk that is not JSON: " + e.getMessage());
        }
    }

    private static byte[] json(ObjectNode body) {
        try {
            return FrameCodec.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a request body is plain JSON", e);
        }
    }
}
