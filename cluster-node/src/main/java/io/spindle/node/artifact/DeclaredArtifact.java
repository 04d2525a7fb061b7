package io.spindle.node.artifact;

/**
 * An output a worker declared in its result frame: a path relative to the job's scratch dir, its
 * kind (image, audio, json…) and media type; kind and mime may be null and are then defaulted.
 */
public record DeclaredArtifact(String path, String kind, String mime) {}
