package io.spindle.bridge.channel;

import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.FrameReader;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's end of one worker process's Unix domain socket. {@link #bind} creates the socket file (mode 0600),
 * the host then spawns the worker and calls {@link #start}: the channel accepts exactly one connection (within the
 * accept timeout), deletes the socket file so nobody else can connect, and reads frames on its own thread,
 * delivering them to a {@link WorkerListener}. {@link #send} does not wait on the worker: a small frame is written
 * at once by the caller when the socket is free (the kernel buffer takes it), anything else is queued for a writer
 * thread, which writes several frames per system call under load. Anything a misbehaving worker sends ends up as
 * a listener callback, never as an exception in the host.
 */
public final class WorkerChannel implements AutoCloseable {
    /** sun_path holds 108 bytes including the terminating NUL; stay clear of the edge. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;
    /** Frames written in one gathering write at most. */
    private static final int MAX_FRAMES_PER_WRITE = 64;
    /**
     * Largest frame the caller of {@link #send} writes itself. Far below the socket's kernel buffer (~200 KiB), so the
     * write completes at once unless a frozen worker left that much unread; saves a thread hand-off per frame.
     */
    private static final int DIRECT_WRITE_MAX_BYTES = 16 * 1024;
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    private static final ByteBuffer STOP_WRITER = ByteBuffer.allocate(0);
    private static final Logger log = LoggerFactory.getLogger(WorkerChannel.class);

    private final Path socketPath;
    private final ChannelSettings settings;
    private final FrameCodec codec;
    private final ServerSocketChannel server;
    private final BlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();
    /** Held while writing to the socket; {@link #queued} counts frames in the outbox not yet written, to keep order. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Selector acceptSelector;
    private volatile SocketChannel connection;
    private volatile IOException writeFailure;
    private volatile long lastFrameNanos = System.nanoTime();

    private WorkerChannel(Path socketPath, ChannelSettings settings, ServerSocketChannel server) {
        this.socketPath = socketPath;
        this.settings = settings;
        this.codec = new FrameCodec(settings.maxFrameBytes());
        this.server = server;
    }

    /**
     * Creates the listening socket at {@code socketPath}: a stale file there is deleted first, a missing parent
     * directory is created private to this user (an existing one must be this user's), and the socket file gets mode 0600.
     *
     * @throws IllegalArgumentException when the path is too long for a Unix domain socket
     */
    public static WorkerChannel bind(Path socketPath, ChannelSettings settings) throws IOException {
        Path path = socketPath.toAbsolutePath();
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length >= MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path is " + length + " bytes, must stay under "
                    + MAX_SOCKET_PATH_BYTES + ": " + path);
        }
        // Created 0700 if missing; refused if another user made it (they could swap the socket).
        PrivateFiles.directory(path.getParent());
        if (Files.exists(path) && !Files.isDirectory(path)) {
            Files.delete(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), 1);
            Files.setPosixFilePermissions(path, SOCKET_MODE);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new WorkerChannel(path, settings, server);
    }

    public Path socketPath() {
        return socketPath;
    }

    public ChannelSettings settings() {
        return settings;
    }

    /**
     * Starts the I/O thread: wait for the worker to connect, then read frames until the connection ends. Call once,
     * after spawning the worker.
     */
    public void start(WorkerListener listener) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("channel " + socketPath + " already started");
        }
        Thread reader = new Thread(() -> run(listener), "spindle-worker-io-" + socketPath.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /** True between the worker connecting and the channel closing. */
    public boolean isConnected() {
        return connection != null && !closing.get();
    }

    /** How long since the last frame arrived (or since the channel was bound, before any): the host's hang detector. */
    public Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastFrameNanos);
    }

    /**
     * Sends {@code message} to the worker without waiting on it; thread-safe, and frames from one thread arrive in
     * order. A failed write closes the channel ({@link ChannelClosed.Reason#IO_ERROR}).
     *
     * @return false when there is no connection to send on (not connected yet, or closed)
     * @throws ProtocolException FRAME_TOO_LARGE when the frame exceeds the maximum frame size
     */
    public boolean send(BridgeMessage message) throws ProtocolException {
        ByteBuffer frame = codec.encode(message);
        SocketChannel socket = connection;
        if (socket == null || closing.get()) {
            return false;
        }
        // An interrupted caller must not touch the channel: an interrupt inside a channel write closes it.
        if (frame.remaining() <= DIRECT_WRITE_MAX_BYTES && queued.get() == 0
                && !Thread.currentThread().isInterrupted() && writeLock.tryLock()) {
            try {
                if (queued.get() == 0) {
                    writeFully(socket, new ByteBuffer[] {frame});
                    return true;
                }
            } catch (IOException e) {
                writeFailed(socket, e);
                return true; // like a queued frame whose write fails later: the close reports it
            } finally {
                writeLock.unlock();
            }
        }
        queued.incrementAndGet();
        outbox.add(frame);
        return true;
    }

    /**
     * Closes the connection (or stops waiting for one) and deletes the socket file; idempotent. Queued frames not yet
     * written are dropped: to stop a worker politely, send {@link BridgeMessage.Shutdown} and wait for
     * {@link ChannelClosed.Reason#PEER_CLOSED} first. After this returns the listener gets at most
     * {@link WorkerListener#onClosed} (and any callback already running).
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Selector selector = acceptSelector;
        if (selector != null) {
            selector.wakeup();
        }
        outbox.add(STOP_WRITER);
        closeQuietly(server);
        SocketChannel socket = connection;
        if (socket != null) {
            closeQuietly(socket);
        }
        deleteSocketFile();
    }

    private void run(WorkerListener listener) {
        ChannelClosed closed;
        try {
            SocketChannel socket = accept();
            if (socket == null) {
                closed = closing.get()
                        ? new ChannelClosed(ChannelClosed.Reason.CLOSED_LOCALLY, "closed before a worker connected")
                        : new ChannelClosed(ChannelClosed.Reason.ACCEPT_TIMEOUT,
                                "no worker connected within " + settings.acceptTimeout());
            } else {
                closed = serve(socket, listener);
            }
        } catch (IOException | RuntimeException e) {
            closed = closing.get()
                    ? new ChannelClosed(ChannelClosed.Reason.CLOSED_LOCALLY, "closed")
                    : new ChannelClosed(ChannelClosed.Reason.IO_ERROR, String.valueOf(e));
        }
        close();
        ChannelClosed reason = finalReason(closed);
        deliver(listener, () -> listener.onClosed(reason));
    }

    /** A close caused by a failed write shows as that failure, not as the end of stream it provoked. */
    private ChannelClosed finalReason(ChannelClosed closed) {
        IOException failure = writeFailure;
        if (failure != null && closed.reason() != ChannelClosed.Reason.CLOSED_LOCALLY) {
            return new ChannelClosed(ChannelClosed.Reason.IO_ERROR, "write failed: " + failure);
        }
        return closed;
    }

    /** The worker's connection, or null on timeout or close. */
    private SocketChannel accept() throws IOException {
        long deadline = System.nanoTime() + settings.acceptTimeout().toNanos();
        try (Selector selector = Selector.open()) {
            acceptSelector = selector;
            if (closing.get()) {
                return null;
            }
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (!closing.get()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                selector.select(left);
                SocketChannel socket = server.accept();
                if (socket != null) {
                    socket.configureBlocking(true);
                    // One worker per socket: nobody else may connect once it is here.
                    closeQuietly(server);
                    deleteSocketFile();
                    connection = socket;
                    if (closing.get()) {
                        closeQuietly(socket);
                        return null;
                    }
                    return socket;
                }
            }
            return null;
        } finally {
            acceptSelector = null;
        }
    }

    private ChannelClosed serve(SocketChannel socket, WorkerListener listener) {
        Thread writer = new Thread(() -> write(socket), "spindle-worker-out-" + socketPath.getFileName());
        writer.setDaemon(true);
        writer.start();
        lastFrameNanos = System.nanoTime();
        deliver(listener, listener::onConnected);
        FrameReader reader = new FrameReader(socket, settings.maxFrameBytes());
        while (true) {
            byte[] payload;
            try {
                payload = reader.next();
            } catch (ProtocolException e) {
                lastFrameNanos = System.nanoTime();
                if (!closing.get()) {
                    deliver(listener, () -> listener.onProtocolError(e));
                }
                if (e.isFatal()) {
                    return new ChannelClosed(ChannelClosed.Reason.PEER_CLOSED, e.getMessage());
                }
                continue;
            } catch (IOException e) {
                return closing.get()
                        ? new ChannelClosed(ChannelClosed.Reason.CLOSED_LOCALLY, "closed")
                        : new ChannelClosed(ChannelClosed.Reason.IO_ERROR, String.valueOf(e));
            }
            if (payload == null) {
                return closing.get()
                        ? new ChannelClosed(ChannelClosed.Reason.CLOSED_LOCALLY, "closed")
                        : new ChannelClosed(ChannelClosed.Reason.PEER_CLOSED, "worker closed the connection");
            }
            lastFrameNanos = System.nanoTime();
            if (closing.get()) {
                continue; // drain until the close takes effect, delivering nothing more
            }
            WorkerMessage message;
            try {
                message = codec.decodeWorkerMessage(payload);
            } catch (ProtocolException e) {
                deliver(listener, () -> listener.onProtocolError(e));
                continue;
            }
            deliver(listener, () -> listener.onMessage(message));
        }
    }

    /** Writer thread: drains the outbox into the socket, batching whatever has queued up meanwhile. */
    private void write(SocketChannel socket) {
        List<ByteBuffer> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(outbox.take());
                outbox.drainTo(batch, MAX_FRAMES_PER_WRITE - 1);
                boolean stop = batch.remove(STOP_WRITER);
                writeLock.lock();
                try {
                    writeFully(socket, batch.toArray(ByteBuffer[]::new));
                    queued.addAndGet(-batch.size());
                } finally {
                    writeLock.unlock();
                }
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            writeFailed(socket, e);
        }
    }

    private static void writeFully(SocketChannel socket, ByteBuffer[] frames) throws IOException {
        long left = 0;
        for (ByteBuffer frame : frames) {
            left += frame.remaining();
        }
        while (left > 0) {
            left -= socket.write(frames);
        }
    }

    private void writeFailed(SocketChannel socket, IOException e) {
        if (!closing.get()) {
            writeFailure = e;
            log.warn("writing to worker on {} failed: {}", socketPath, e.toString());
            closeQuietly(socket); // the reader notices and reports the close
        }
    }

    private void deliver(WorkerListener listener, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.error("worker listener on {} threw; the channel carries on", socketPath, e);
        }
    }

    private void deleteSocketFile() {
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            log.warn("cannot delete socket file {}: {}", socketPath, e.toString());
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort; the channel is going away either way
        }
    }

    @Override
    public String toString() {
        return "WorkerChannel[" + socketPath + "]";
    }
}
