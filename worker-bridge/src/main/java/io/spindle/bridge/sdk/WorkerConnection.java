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
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's end of the socket. Frames are written by a dedicated thread: job threads get interrupted on
 * cancel, and an interrupt inside a channel write would close the whole connection.
 */
final class WorkerConnection implements AutoCloseable {
    private static final ByteBuffer STOP = ByteBuffer.allocate(0);
    private static final Logger log = LoggerFactory.getLogger(WorkerConnection.class);

    private final SocketChannel socket;
    private final FrameCodec codec;
    private final FrameReader reader;
    private final BlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean open = true;

    private WorkerConnection(SocketChannel socket, FrameCodec codec) {
        this.socket = socket;
        this.codec = codec;
        this.reader = new FrameReader(socket, codec.maxFrameBytes());
        this.writer = new Thread(this::write, "spindle-worker-out");
        writer.setDaemon(true);
        writer.start();
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

    /** Queues a frame; a no-op once the connection is gone. Thread-safe and non-blocking. */
    void send(WorkerMessage message) throws ProtocolException {
        ByteBuffer frame = codec.encode(message);
        if (open) {
            outbox.add(frame);
        }
    }

    /** Next frame payload from the bridge, null when it closed the connection. Reader thread only. */
    byte[] next() throws IOException {
        return reader.next();
    }

    FrameCodec codec() {
        return codec;
    }

    /** Writes what is queued (waiting at most {@code flushTimeout}), then closes the socket. */
    void close(Duration flushTimeout) {
        open = false;
        outbox.add(STOP);
        try {
            writer.join(flushTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // exiting anyway
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private void write() {
        try {
            while (true) {
                ByteBuffer frame = outbox.poll(1, TimeUnit.DAYS);
                if (frame == null) {
                    continue;
                }
                if (frame == STOP) {
                    return;
                }
                while (frame.hasRemaining()) {
                    socket.write(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            open = false;
            log.warn("writing to the bridge failed: {}", e.toString());
        }
    }
}
