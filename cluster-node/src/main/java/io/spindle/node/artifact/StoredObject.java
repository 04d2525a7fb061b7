package io.spindle.node.artifact;

/**
 * What {@link ArtifactStore#put} stored: the key, the byte count and SHA-256 (hex) of what was read
 * from the file while it streamed, and the backend's entity tag (opaque; for multipart uploads it
 * is not an MD5).
 */
public record StoredObject(String key, long size, String sha256, String etag) {}
