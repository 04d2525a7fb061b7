package io.spindle.bridge.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts a byte stream into frame payloads. Not thread-safe: one reader per connection, used by one thread.
 * An oversize frame is skipped (so the stream stays in step) and reported as {@link ProtocolException.Kind#FRAME_TOO_LARGE}.
 */
public final class FrameReader {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final ReadableByteChannel channel;
    private final int maxFrameBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES).flip();

    public FrameReader(ReadableByteChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next frame's payload, or null when the stream ended cleanly between frames.
     *
     * @throws ProtocolException TRUNCATED when the stream ends inside a frame, FRAME_TOO_LARGE for an oversize frame
     * @throws IOException when the channel fails
     */
    public byte[] next() throws IOException {
        if (!fill(FrameCodec.LENGTH_PREFIX_BYTES)) {
            if (buffer.hasRemaining()) {
                throw truncated("inside a length prefix");
            }
            return null;
        }
        long length = Integer.toUnsignedLong(buffer.getInt());
        if (length > maxFrameBytes) {
            skip(length);
            throw new ProtocolException(ProtocolException.Kind.FRAME_TOO_LARGE,
                    "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
        }
        byte[] payload = new byte[(int) length];
        int copied = Math.min(buffer.remaining(), payload.length);
        buffer.get(payload, 0, copied);
        ByteBuffer rest = ByteBuffer.wrap(payload, copied, payload.length - copied);
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw truncated("after " + rest.position() + " of " + length + " payload bytes");
            }
        }
        return payload;
    }

    /** Reads until at least {@code needed} bytes are buffered; false when the stream ends first. */
    private boolean fill(int needed) throws IOException {
        while (buffer.remaining() < needed) {
            buffer.compact();
            int read;
            try {
                read = channel.read(buffer);
            } finally {
                buffer.flip();
            }
            if (read < 0) {
                return false;
            }
        }
        return true;
    }

    private void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (!buffer.hasRemaining() && !fill(1)) {
                throw truncated("while skipping an oversize frame of " + length + " bytes");
            }
            int step = (int) Math.min(left, buffer.remaining());
            buffer.position(buffer.position() + step);
            left -= step;
        }
    }

    private static ProtocolException truncated(String where) {
        return new ProtocolException(ProtocolException.Kind.TRUNCATED, "stream ended " + where, null, null,
                new EOFException());
    }
}
