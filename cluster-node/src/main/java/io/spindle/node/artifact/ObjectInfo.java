package io.spindle.node.artifact;

/** Metadata of a stored object: its full size in bytes, media type and entity tag. */
public record ObjectInfo(String key, long size, String contentType, String etag) {}
