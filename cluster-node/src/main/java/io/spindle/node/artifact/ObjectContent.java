package io.spindle.node.artifact;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * An object being read: its metadata, the byte range served (empty for the whole object) and the
 * bytes themselves, which the source fetches when it runs (run it once).
 */
public record ObjectContent(ObjectInfo info, Optional<ResolvedRange> range, Source<ByteString, NotUsed> bytes) {

    /** How many bytes {@link #bytes} emits. */
    public long contentLength() {
        return range.map(ResolvedRange::length).orElse(info.size());
    }
}
