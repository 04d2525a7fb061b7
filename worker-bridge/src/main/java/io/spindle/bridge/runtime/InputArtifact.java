package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.bridge.sdk.WorkerFailure;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An earlier job's artifact given as a job's input. The client writes {@code {"artifact_id": "art_…"}}; before the
 * run the node fetches the artifact into the attempt's scratch dir and adds {@code path} (absolute), {@code mime}
 * and {@code bytes} to that object, so a shim reads a local file and never talks to the artifact store itself.
 */
public record InputArtifact(String artifactId, Path path, String mime, long bytes) {
    public static final String ARTIFACT_ID = "artifact_id";
    public static final String PATH = "path";
    public static final String MIME = "mime";
    public static final String BYTES = "bytes";

    /** The fetched artifact described by {@code value}, the input at {@code field}; permanent failure when it is not one. */
    static InputArtifact of(String field, JsonNode value) throws WorkerFailure {
        if (!value.isObject() || !value.path(ARTIFACT_ID).isTextual()) {
            throw Failures.invalidInput(field, "must be an artifact reference {\"artifact_id\": \"art_…\"}");
        }
        String id = value.get(ARTIFACT_ID).asText();
        if (!value.path(PATH).isTextual()) {
            // The node resolves every reference before a run; a reference without a file is a node that did not.
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "input." + field + ": artifact " + id + " was not fetched for this run");
        }
        Path path = Path.of(value.get(PATH).asText());
        if (!Files.isRegularFile(path)) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "input." + field + ": fetched file of " + id + " is missing: " + path);
        }
        return new InputArtifact(id, path, value.path(MIME).asText("application/octet-stream"), value.path(BYTES).asLong(-1));
    }
}
