package io.spindle.bridge.sdk;

import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.FrameReader;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of the socket. Frames are written by the thread that sends them, under one lock. Job threads get
 * interrupted on cancel, and an interrupt inside a channel write would close the whole connection, so interrupts are
 * only delivered under the same lock ({@link #interruptOutsideWrites}) and a write starts with the flag cleared.
 */
final class WorkerConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerConnection.class);

    private final SocketChannel socket;
    private final FrameCodec codec;
    private final FrameReader reader;
    private final Object writeLock = new Object();
    private volatile boolean open = true;

    private WorkerConnection(SocketChannel socket, FrameCodec codec) {
        this.socket = socket;
        this.codec = codec;
        this.reader = new FrameReader(socket, codec.maxFrameBytes());
    }

    static WorkerConnection connect(Path socketPath, FrameCodec codec) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new WorkerConnection(socket, codec);
    }

    /** Writes a frame; a no-op once the connection is gone. Thread-safe. */
    void send(WorkerMessage message) throws ProtocolException {
        ByteBuffer frame = codec.encode(message);
        synchronized (writeLock) {
            if (!open) {
                return;
            }
            boolean interrupted = Thread.interrupted();
            try {
                while (frame.hasRemaining()) {
                    socket.write(frame);
                }
            } catch (IOException e) {
                open = false;
                log.warn("writing to the bridge failed: {}", e.toString());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Interrupts {@code thread} (a job thread being canceled) at a moment when it cannot be inside a socket write. */
    void interruptOutsideWrites(Thread thread) {
        synchronized (writeLock) {
            thread.interrupt();
        }
    }

    /** Next frame payload from the bridge, null when it closed the connection. Reader thread only. */
    byte[] next() throws IOException {
        return reader.next();
    }

    FrameCodec codec() {
        return codec;
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }
}
