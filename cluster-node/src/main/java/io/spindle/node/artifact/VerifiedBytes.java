package io.spindle.node.artifact;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A whole object's bytes checked against the size and SHA-256 recorded when it was stored. The last chunk is held
 * back until the digest of everything is known: on a match it goes on and the stream completes; on a mismatch the
 * stream fails with {@link Mismatch} instead, so no reader ever gets the complete wrong content as if it were right
 * (an HTTP response built on it is cut short of its Content-Length, which every client reports as an error).
 */
public final class VerifiedBytes {
    private VerifiedBytes() {}

    /** Thrown into the stream when the bytes are not those recorded. */
    public static final class Mismatch extends IllegalStateException {
        private final ContentDigest actual;

        Mismatch(long expectedSize, String expectedSha256, ContentDigest actual) {
            super("stored bytes differ from the recorded ones: expected " + expectedSize + " bytes with SHA-256 " + expectedSha256
                    + ", got " + actual.size() + " bytes with SHA-256 " + actual.sha256());
            this.actual = actual;
        }

        public ContentDigest actual() {
            return actual;
        }
    }

    /** {@code bytes}, failing with {@link Mismatch} (and calling {@code onMismatch}) unless they are {@code size} bytes hashing to {@code sha256}. */
    public static Source<ByteString, NotUsed> of(Source<ByteString, NotUsed> bytes, long size, String sha256,
                                                 Consumer<Mismatch> onMismatch) {
        return bytes.via(new Check(size, sha256, onMismatch));
    }

    private static final class Check extends GraphStage<FlowShape<ByteString, ByteString>> {
        private final Inlet<ByteString> in = Inlet.create("VerifiedBytes.in");
        private final Outlet<ByteString> out = Outlet.create("VerifiedBytes.out");
        private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
        private final long size;
        private final String sha256;
        private final Consumer<Mismatch> onMismatch;

        Check(long size, String sha256, Consumer<Mismatch> onMismatch) {
            this.size = size;
            this.sha256 = sha256;
            this.onMismatch = onMismatch;
        }

        @Override
        public FlowShape<ByteString, ByteString> shape() {
            return shape;
        }

        @Override
        public GraphStageLogic createLogic(Attributes inheritedAttributes) {
            return new GraphStageLogic(shape) {
                private final MessageDigest digest = ContentDigest.newSha256();
                private long seen;
                private ByteString held;

                private void mismatch() {
                    mismatch(HexFormat.of().formatHex(digest.digest()));
                }

                private void mismatch(String actualSha256) {
                    Mismatch m = new Mismatch(size, sha256, new ContentDigest(seen, actualSha256));
                    onMismatch.accept(m);
                    failStage(m);
                }

                {
                    setHandler(in, new AbstractInHandler() {
                        @Override
                        public void onPush() {
                            ByteString chunk = grab(in);
                            for (ByteBuffer buffer : chunk.getByteBuffers()) {
                                digest.update(buffer);
                            }
                            seen += chunk.size();
                            if (seen > size) {
                                mismatch();
                                return;
                            }
                            ByteString previous = held;
                            held = chunk;
                            if (previous == null) {
                                pull(in);
                            } else {
                                push(out, previous);
                            }
                        }

                        @Override
                        public void onUpstreamFinish() {
                            String actual = HexFormat.of().formatHex(digest.digest());
                            if (seen != size || !actual.equals(sha256)) {
                                mismatch(actual);
                                return;
                            }
                            if (held != null) {
                                emit(out, held);
                            }
                            complete(out);
                        }
                    });
                    setHandler(out, new AbstractOutHandler() {
                        @Override
                        public void onPull() {
                            if (!hasBeenPulled(in) && !isClosed(in)) {
                                pull(in);
                            }
                        }
                    });
                }
            };
        }
    }
}
