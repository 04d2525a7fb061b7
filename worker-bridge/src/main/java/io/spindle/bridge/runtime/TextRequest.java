package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@code text.generate} or {@code text.chat} run asks for, whichever backend answers it: the {@code prompt}
 * (generate) or the {@code messages} (chat), and the sampling settings, each from the input or else the params:
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code seed} (none: the backend picks one) and {@code stop}.
 */
public record TextRequest(String prompt, List<ChatMessage> messages, int maxTokens, double temperature, double topP,
        OptionalLong seed, List<String> stop) {
    public static final String GENERATE = "text.generate";
    public static final String CHAT = "text.chat";
    static final int MAX_PROMPT_CHARS = 200_000;
    static final int MAX_MESSAGES = 512;
    static final int DEFAULT_MAX_TOKENS = 256;
    static final int MAX_TOKENS = 32_768;
    static final double DEFAULT_TEMPERATURE = 0.8;
    static final double MAX_TEMPERATURE = 2.0;
    static final double DEFAULT_TOP_P = 0.95;
    static final int MAX_STOP_STRINGS = 8;
    static final int MAX_STOP_CHARS = 64;
    private static final Set<String> ROLES = Set.of(ChatMessage.SYSTEM, ChatMessage.USER, ChatMessage.ASSISTANT);

    public boolean isChat() {
        return messages != null;
    }

    /** The request of {@code job}, a text.generate or text.chat run; permanent failures name the field. */
    public static TextRequest of(JobRun job) throws WorkerFailure {
        RunFields fields = new RunFields(job);
        String prompt = null;
        List<ChatMessage> messages = null;
        if (CHAT.equals(job.type())) {
            messages = messages(job.input().get("messages"));
        } else {
            prompt = fields.requiredText("prompt", MAX_PROMPT_CHARS);
        }
        int maxTokens = (int) fields.integer("max_tokens", DEFAULT_MAX_TOKENS, 1, MAX_TOKENS);
        double temperature = fields.number("temperature", DEFAULT_TEMPERATURE, 0, MAX_TEMPERATURE);
        double topP = fields.number("top_p", DEFAULT_TOP_P, 0, 1);
        long seed = fields.integer("seed", -1, -1, Integer.MAX_VALUE);
        return new TextRequest(prompt, messages, maxTokens, temperature, topP,
                seed < 0 ? OptionalLong.empty() : OptionalLong.of(seed), stop(job));
    }

    private static List<ChatMessage> messages(JsonNode value) throws WorkerFailure {
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw Failures.invalidInput("messages", "required: a non-empty list of {\"role\", \"content\"}");
        }
        if (value.size() > MAX_MESSAGES) {
            throw Failures.invalidInput("messages", "at most " + MAX_MESSAGES + " messages, was " + value.size());
        }
        List<ChatMessage> messages = new ArrayList<>(value.size());
        int chars = 0;
        for (int i = 0; i < value.size(); i++) {
            JsonNode m = value.get(i);
            String field = "messages[" + i + "]";
            if (!m.path("role").isTextual() || !ROLES.contains(m.get("role").asText())) {
                throw Failures.invalidInput(field + ".role", "must be one of " + ROLES);
            }
            if (!m.path("content").isTextual()) {
                throw Failures.invalidInput(field + ".content", "must be a string");
            }
            chars += m.get("content").asText().length();
            messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        if (chars > MAX_PROMPT_CHARS) {
            throw Failures.invalidInput("messages", "longer than " + MAX_PROMPT_CHARS + " characters in all");
        }
        return List.copyOf(messages);
    }

    /** {@code stop}: one string or a list of them, from the input, else the params. */
    private static List<String> stop(JobRun job) throws WorkerFailure {
        boolean fromInput = job.input().hasNonNull("stop");
        JsonNode value = fromInput ? job.input().get("stop") : job.params().get("stop");
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        if (items.size() > MAX_STOP_STRINGS) {
            throw invalid(fromInput, "stop", "at most " + MAX_STOP_STRINGS + " strings");
        }
        List<String> stop = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || item.asText().isEmpty() || item.asText().length() > MAX_STOP_CHARS) {
                throw invalid(fromInput, "stop", "each must be a string of 1 to " + MAX_STOP_CHARS + " characters");
            }
            stop.add(item.asText());
        }
        return List.copyOf(stop);
    }

    private static WorkerFailure invalid(boolean fromInput, String field, String problem) {
        return fromInput ? Failures.invalidInput(field, problem) : Failures.invalidParams(field, problem);
    }
}
