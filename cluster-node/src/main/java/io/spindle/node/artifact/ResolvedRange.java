package io.spindle.node.artifact;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;

/**
 * A byte range pinned against an object's size: {@code first..last} inclusive, as in a
 * {@code Content-Range: bytes first-last/size} header.
 */
public record ResolvedRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    /**
     * Resolves an HTTP range (slice, from-offset or suffix) against {@code size}, clamping its end
     * to the last byte; empty when no byte of the object falls in it (HTTP 416).
     */
    public static Optional<ResolvedRange> resolve(ByteRange range, long size) {
        if (size <= 0) {
            return Optional.empty();
        }
        long first;
        long last = size - 1;
        if (range.isSuffix()) {
            long length = range.getSuffixLength().orElseThrow();
            if (length <= 0) {
                return Optional.empty();
            }
            first = Math.max(0, size - length);
        } else if (range.isFromOffset()) {
            first = range.getOffset().orElseThrow();
        } else {
            first = range.getSliceFirst().orElseThrow();
            last = Math.min(last, range.getSliceLast().orElseThrow());
        }
        if (first < 0 || first > last) {
            return Optional.empty();
        }
        return Optional.of(new ResolvedRange(first, last));
    }

    /**
     * What a get of {@code key} with {@code range} reads of the object its store {@code found} (empty when there is
     * none): the whole object (empty) or the range resolved against its size. Throws the store's typed not-found or
     * range-not-satisfiable failure.
     */
    static Optional<ResolvedRange> forGet(String key, Optional<ObjectInfo> found, Optional<ByteRange> range) {
        ObjectInfo info = found.orElseThrow(() -> StoreFailures.notFound(key));
        if (range.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(resolve(range.get(), info.size()).orElseThrow(() -> StoreFailures.rangeNotSatisfiable(key, info.size())));
    }
}
