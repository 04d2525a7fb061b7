package io.spindle.node.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.runtime.InputArtifact;
import io.spindle.model.validation.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The artifact references in a job's input: an object {@code {"artifact_id": "art_…"}} as a top-level field, or as
 * an element of a list at top level ({@code {"images": [{"artifact_id": …}, …]}}). Deeper objects are plain data,
 * so a shim's own JSON can never be mistaken for a reference. The gateway checks them at submit; the node fetches
 * them before the run and adds each file's {@code path}, {@code mime} and {@code bytes} ({@link InputArtifact}).
 */
public final class InputReferences {
    /** One reference: its JSON path in the request ({@code input.audio}, {@code input.images[1]}) and the id it names. */
    public record Reference(String path, String artifactId) {}

    /** An artifact fetched for a run: the local file, its media type and size. */
    public record Fetched(String artifactId, java.nio.file.Path file, String mime, long bytes) {}

    private static final String ROOT = "input";

    private InputReferences() {}

    /** Every well-formed reference in {@code input}, in field order; malformed ones are left to {@link #problems}. */
    public static List<Reference> scan(JsonNode input) {
        List<Reference> found = new ArrayList<>();
        visit(input, (path, node) -> {
            JsonNode id = node.get(InputArtifact.ARTIFACT_ID);
            if (id.isTextual() && !id.asText().isBlank()) {
                found.add(new Reference(path, id.asText()));
            }
        });
        return found;
    }

    /** The distinct artifact ids {@code input} references, in order of first mention. */
    public static List<String> artifactIds(JsonNode input) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        scan(input).forEach(r -> ids.add(r.artifactId()));
        return List.copyOf(ids);
    }

    /**
     * What is wrong with the references of {@code input}, each naming its JSON path: an {@code artifact_id} that is not
     * a non-empty string, or more than {@code maxReferences} references in all.
     */
    public static List<FieldError> problems(JsonNode input, int maxReferences) {
        List<FieldError> problems = new ArrayList<>();
        int[] count = {0};
        visit(input, (path, node) -> {
            count[0]++;
            JsonNode id = node.get(InputArtifact.ARTIFACT_ID);
            if (!id.isTextual() || id.asText().isBlank()) {
                problems.add(new FieldError(path + "." + InputArtifact.ARTIFACT_ID, "must be an artifact id (\"art_…\")"));
            }
        });
        if (count[0] > maxReferences) {
            problems.add(new FieldError(ROOT, "references " + count[0] + " artifacts; at most " + maxReferences
                    + " are allowed per job (spindle.artifacts.inputs.max-references)"));
        }
        return problems;
    }

    /**
     * A copy of {@code input} in which every reference also carries its fetched file's absolute {@code path},
     * {@code mime} and {@code bytes}: what the worker's run frame carries. The job's stored input is left as it is.
     */
    public static JsonNode withFiles(JsonNode input, Map<String, Fetched> fetched) {
        JsonNode copy = input.deepCopy();
        visit(copy, (path, node) -> {
            Fetched file = fetched.get(node.get(InputArtifact.ARTIFACT_ID).asText());
            if (file != null) {
                ((ObjectNode) node).put(InputArtifact.PATH, file.file().toAbsolutePath().toString())
                        .put(InputArtifact.MIME, file.mime())
                        .put(InputArtifact.BYTES, file.bytes());
            }
        });
        return copy;
    }

    private interface Visitor {
        void reference(String path, JsonNode node);
    }

    /** Calls {@code visitor} for every object holding an {@code artifact_id} at the places a reference may be. */
    private static void visit(JsonNode input, Visitor visitor) {
        if (input == null || !input.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = input.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = ROOT + "." + field.getKey();
            JsonNode value = field.getValue();
            if (isReference(value)) {
                visitor.reference(path, value);
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (isReference(value.get(i))) {
                        visitor.reference(path + "[" + i + "]", value.get(i));
                    }
                }
            }
        }
    }

    private static boolean isReference(JsonNode node) {
        return node.isObject() && node.has(InputArtifact.ARTIFACT_ID);
    }
}
