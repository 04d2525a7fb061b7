package io.spindle.bridge.protocol;

import java.nio.file.Path;
import java.util.Objects;

/** A file a worker wrote for a job: its path relative to the job's scratch dir, its kind and MIME type. */
public record ArtifactRef(String path, String kind, String mime) {
    public ArtifactRef {
        Objects.requireNonNull(path, "path");
        kind = kind == null ? "file" : kind;
        mime = mime == null ? "application/octet-stream" : mime;
    }

    /**
     * The artifact's file inside {@code scratchDir}. Refuses a path that leaves the scratch dir, so a
     * worker cannot make the node upload files it was never meant to see.
     */
    public Path resolveIn(Path scratchDir) {
        Path root = scratchDir.toAbsolutePath().normalize();
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("artifact path '" + path + "' is outside the scratch dir " + root);
        }
        return file;
    }
}
