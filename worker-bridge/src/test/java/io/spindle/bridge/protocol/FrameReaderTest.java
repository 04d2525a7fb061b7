package io.spindle.bridge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final int MAX = 1024;

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static FrameReader reader(byte[] stream) {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(stream)), MAX);
    }

    /** A channel that hands out one byte per read, as a slow socket might. */
    private static ReadableByteChannel trickle(byte[] stream) {
        ByteBuffer source = ByteBuffer.wrap(stream);
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                if (!source.hasRemaining()) {
                    return -1;
                }
                dst.put(source.get());
                return 1;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void readsConsecutiveFramesThenCleanEnd() throws IOException {
        FrameReader reader = reader(concat(frame("{\"a\":1}"), frame(""), frame("{\"b\":2}")));
        assertEquals("{\"a\":1}", new String(reader.next(), StandardCharsets.UTF_8));
        assertEquals(0, reader.next().length);
        assertEquals("{\"b\":2}", new String(reader.next(), StandardCharsets.UTF_8));
        assertNull(reader.next());
        assertNull(reader.next());
    }

    @Test
    void reassemblesFramesFromTinyReads() throws IOException {
        byte[] big = "x".repeat(MAX).getBytes(StandardCharsets.UTF_8);
        FrameReader reader = new FrameReader(trickle(concat(frame("{}"), frame(big))), MAX);
        assertEquals("{}", new String(reader.next(), StandardCharsets.UTF_8));
        assertArrayEquals(big, reader.next());
        assertNull(reader.next());
    }

    @Test
    void framesLargerThanTheReadBufferArriveWhole() throws IOException {
        byte[] big = new byte[200_000];
        java.util.Arrays.fill(big, (byte) 'y');
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(concat(frame(big), frame("1")))),
                big.length);
        assertArrayEquals(big, reader.next());
        assertEquals("1", new String(reader.next(), StandardCharsets.UTF_8));
    }

    @Test
    void streamEndingInsideTheLengthPrefixIsTruncated() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader(new byte[] {0, 0}).next());
        assertEquals(ProtocolException.Kind.TRUNCATED, e.kind());
        assertTrue(e.isFatal());
    }

    @Test
    void streamEndingInsideThePayloadIsTruncated() {
        byte[] whole = frame("{\"op\":\"hello\"}");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader(cut).next());
        assertEquals(ProtocolException.Kind.TRUNCATED, e.kind());
    }

    @Test
    void oversizeFrameIsSkippedAndTheStreamStaysInStep() throws IOException {
        byte[] huge = new byte[MAX + 1];
        FrameReader reader = new FrameReader(trickle(concat(frame(huge), frame("{\"ok\":true}"))), MAX);
        ProtocolException e = assertThrows(ProtocolException.class, reader::next);
        assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
        assertTrue(!e.isFatal());
        assertEquals("{\"ok\":true}", new String(reader.next(), StandardCharsets.UTF_8));
    }

    @Test
    void lengthAboveTwoGigabytesIsOversizeNotNegative() {
        byte[] prefix = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0};
        ProtocolException e = assertThrows(ProtocolException.class, () -> reader(prefix).next());
        assertEquals(ProtocolException.Kind.TRUNCATED, e.kind(), "skipping the oversize frame hits the end of stream");
    }
}
