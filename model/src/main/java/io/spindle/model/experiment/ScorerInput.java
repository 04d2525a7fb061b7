package io.spindle.model.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a scorer's input template. A string that is exactly {@code "${path}"} becomes the JSON value at that path
 * (a number stays a number, an object an object); other strings have each {@code ${path}} replaced by its text.
 * Paths start at {@code source} (the source job: {@code input}, {@code outputs}, {@code artifact_ids}, {@code job_id}),
 * {@code original} (the recorded outputs: {@code outputs}, {@code artifact_ids}, {@code job_id}) or {@code arm} (this
 * arm's output, same fields), then follow fields and {@code [index]}: {@code ${arm.outputs.duration_ms}},
 * {@code {"artifact_id": "${arm.artifact_ids[0]}"}}, {@code ${source.input.text}}.
 */
public final class ScorerInput {
    private static final Pattern WHOLE = Pattern.compile("^\\$\\{([^}]+)}$");
    private static final Pattern PART = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern STEP = Pattern.compile("([a-z_][a-z0-9_]*)|\\[(\\d+)]");

    private ScorerInput() {}

    /** @throws IllegalArgumentException naming the first path that leads nowhere */
    public static ObjectNode fill(ObjectNode template, SourceJob source, ArmRun arm) {
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        ObjectNode s = context.putObject("source");
        s.put("job_id", source.jobId());
        s.set("input", source.input());
        s.set("outputs", source.outputs());
        s.set("artifact_ids", ids(source.artifactIds()));
        context.set("original", s.deepCopy().without("input"));
        ObjectNode a = context.putObject("arm");
        a.put("job_id", arm.jobId());
        a.put("name", arm.arm());
        a.set("outputs", arm.outputs());
        a.set("artifact_ids", ids(arm.artifactIds()));
        return (ObjectNode) fillNode(template, context);
    }

    private static JsonNode ids(java.util.List<String> ids) {
        var array = JsonNodeFactory.instance.arrayNode();
        ids.forEach(array::add);
        return array;
    }

    private static JsonNode fillNode(JsonNode node, JsonNode context) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), fillNode(e.getValue(), context));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(fillNode(n, context)));
            return out;
        }
        if (!node.isTextual()) {
            return node;
        }
        Matcher whole = WHOLE.matcher(node.asText());
        if (whole.matches()) {
            return resolve(whole.group(1), context).deepCopy();
        }
        Matcher part = PART.matcher(node.asText());
        StringBuilder text = new StringBuilder();
        while (part.find()) {
            JsonNode value = resolve(part.group(1), context);
            part.appendReplacement(text, Matcher.quoteReplacement(value.isTextual() ? value.asText() : value.toString()));
        }
        part.appendTail(text);
        return JsonNodeFactory.instance.textNode(text.toString());
    }

    private static JsonNode resolve(String path, JsonNode context) {
        JsonNode at = context;
        for (String field : path.split("\\.")) {
            Matcher step = STEP.matcher(field);
            int from = 0;
            while (step.find(from) && step.start() == from) {
                at = step.group(1) != null ? at.path(step.group(1)) : at.path(Integer.parseInt(step.group(2)));
                from = step.end();
            }
            if (from != field.length()) {
                throw new IllegalArgumentException("${" + path + "}: '" + field + "' is not a field or [index]");
            }
        }
        if (at.isMissingNode() || at.isNull()) {
            throw new IllegalArgumentException("${" + path + "} leads to no value");
        }
        return at;
    }
}
