package io.spindle.node.artifact;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/** The byte count and SHA-256 (lower-case hex) of a stream of bytes. */
public record ContentDigest(long size, String sha256) {
    private static final String ALGORITHM = "SHA-256";

    /**
     * A pass-through flow that hashes what goes through it and completes {@code result} after one
     * whole pass: as soon as {@code expectedSize} bytes went through (before the last of them goes
     * on, so whoever receives the last byte, e.g. an S3 server answering a PUT, cannot be faster
     * than the digest), or when its upstream finishes, whichever comes first. Each run hashes from
     * scratch, so when an HTTP client re-sends a request entity built on it (a retry reads the file
     * again) the result is still the digest of one full pass; a run cut short never completes it.
     * A stream longer than expected fails; a shorter one shows in the result's size.
     */
    public static Flow<ByteString, ByteString, NotUsed> flow(long expectedSize, CompletableFuture<ContentDigest> result) {
        return Flow.fromGraph(new DigestStage(expectedSize, result));
    }

    public static ContentDigest of(ByteString bytes) {
        MessageDigest digest = newSha256();
        bytes.getByteBuffers().forEach(digest::update);
        return new ContentDigest(bytes.size(), HexFormat.of().formatHex(digest.digest()));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + ALGORITHM, e);
        }
    }

    private static final class DigestStage extends GraphStage<FlowShape<ByteString, ByteString>> {
        private final Inlet<ByteString> in = Inlet.create("ContentDigest.in");
        private final Outlet<ByteString> out = Outlet.create("ContentDigest.out");
        private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
        private final long expectedSize;
        private final CompletableFuture<ContentDigest> result;

        DigestStage(long expectedSize, CompletableFuture<ContentDigest> result) {
            this.expectedSize = expectedSize;
            this.result = result;
        }

        @Override
        public FlowShape<ByteString, ByteString> shape() {
            return shape;
        }

        @Override
        public GraphStageLogic createLogic(Attributes inheritedAttributes) {
            return new GraphStageLogic(shape) {
                private final MessageDigest digest = newSha256();
                private long size;

                private boolean finished;

                private void finish() {
                    if (!finished) {
                        finished = true;
                        result.complete(new ContentDigest(size, HexFormat.of().formatHex(digest.digest())));
                    }
                }

                {
                    setHandler(in, new AbstractInHandler() {
                        @Override
                        public void onPush() {
                            ByteString chunk = grab(in);
                            if (size + chunk.size() > expectedSize) {
                                failStage(new IllegalStateException("more than the expected " + expectedSize + " bytes"));
                                return;
                            }
                            for (ByteBuffer buffer : chunk.getByteBuffers()) {
                                digest.update(buffer);
                            }
                            size += chunk.size();
                            if (size == expectedSize) {
                                finish();
                            }
                            push(out, chunk);
                        }

                        @Override
                        public void onUpstreamFinish() {
                            finish();
                            completeStage();
                        }
                    });
                    setHandler(out, new AbstractOutHandler() {
                        @Override
                        public void onPull() {
                            pull(in);
                        }
                    });
                }
            };
        }
    }
}
