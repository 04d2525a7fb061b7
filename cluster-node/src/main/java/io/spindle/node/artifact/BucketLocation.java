package io.spindle.node.artifact;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.util.Optional;

/** Maps a store's relative keys to object keys and {@code s3://} URIs inside one bucket and prefix. */
record BucketLocation(String bucket, String prefix) {
    private static final String SCHEME = "s3://";

    /** The object key in the bucket; rejects keys that are empty, absolute or climb with "..". */
    String objectKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/")) {
            throw new SpindleException(ErrorCode.INVALID_REQUEST, "invalid artifact key '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new SpindleException(ErrorCode.INVALID_REQUEST, "invalid artifact key '" + key + "'");
            }
        }
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** The object key prefix under which {@code keyPrefix} lists (empty lists the whole store). */
    String listPrefix(String keyPrefix) {
        String p = keyPrefix == null ? "" : keyPrefix;
        if (prefix.isEmpty()) {
            return p;
        }
        return p.isEmpty() ? prefix + "/" : prefix + "/" + p;
    }

    /** The store's key of an object key listed under {@link #listPrefix}. */
    String relativeKey(String objectKey) {
        return prefix.isEmpty() ? objectKey : objectKey.substring(prefix.length() + 1);
    }

    String uri(String key) {
        return SCHEME + bucket + "/" + objectKey(key);
    }

    Optional<String> keyOf(String uri) {
        String start = SCHEME + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/");
        if (uri == null || !uri.startsWith(start) || uri.length() == start.length()) {
            return Optional.empty();
        }
        return Optional.of(uri.substring(start.length()));
    }
}
