package io.spindle.bridge.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.FrameReader;
import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's socket end against a raw-socket fake worker that can send anything, including garbage. */
class WorkerChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_FRAME = 4096;

    @TempDir
    Path dir;

    private WorkerChannel channel;
    private final RecordingListener listener = new RecordingListener();
    private SocketChannel fake;

    @AfterEach
    void tearDown() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private Path socket() {
        return dir.resolve("w.sock");
    }

    private void startAndConnect() throws IOException {
        startAndConnect(MAX_FRAME);
    }

    private void startAndConnect(int maxFrame) throws IOException {
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults().withMaxFrameBytes(maxFrame));
        channel.start(listener);
        fake = SocketChannel.open(StandardProtocolFamily.UNIX);
        fake.connect(UnixDomainSocketAddress.of(socket()));
        listener.await(RecordingListener.Connected.class, WAIT);
    }

    private void sendRaw(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        while (frame.hasRemaining()) {
            fake.write(frame);
        }
    }

    private void sendRaw(String json) throws IOException {
        sendRaw(json.getBytes(StandardCharsets.UTF_8));
    }

    private void sendHeartbeat(String jobId) throws IOException {
        sendRaw("{\"op\":\"heartbeat\",\"job_id\":\"" + jobId + "\"}");
    }

    @Test
    void deliversFramesInOrderOnOneThread() throws IOException {
        startAndConnect();
        sendRaw("{\"op\":\"hello\",\"name\":\"fake\",\"job_types\":[\"cpu.echo\"],\"version\":\"1\",\"pid\":7}");
        sendRaw("{\"op\":\"progress\",\"job_id\":\"j1\",\"percent\":10}");
        sendRaw("{\"op\":\"result\",\"job_id\":\"j1\",\"outputs\":{\"ok\":true},\"artifacts\":[]}");

        WorkerMessage.Result result = listener.awaitFor("j1", WorkerMessage.Result.class, WAIT);
        assertTrue(result.outputs().get("ok").asBoolean());
        List<WorkerMessage> messages = listener.all(WorkerMessage.class);
        assertEquals(new WorkerMessage.Hello("fake", List.of("cpu.echo"), "1", 7), messages.get(0));
        assertTrue(messages.get(1) instanceof WorkerMessage.Progress);
        assertEquals(1, Set.copyOf(listener.callbackThreads()).size(), "every callback on the channel's I/O thread");
    }

    @Test
    void socketFileIsPrivateAndGoneOnceTheWorkerIsIn() throws IOException {
        Files.writeString(socket(), "stale");
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
        channel.start(listener);
        fake = SocketChannel.open(StandardProtocolFamily.UNIX);
        fake.connect(UnixDomainSocketAddress.of(socket()));
        listener.await(RecordingListener.Connected.class, WAIT);
        assertFalse(Files.exists(socket()), "one worker per socket: nobody else may connect");
        assertTrue(channel.isConnected());
    }

    @Test
    void socketFileIsDeletedWhenClosedBeforeAnyWorkerConnects() throws IOException {
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults());
        channel.start(listener);
        channel.close();
        assertEquals(ChannelClosed.Reason.CLOSED_LOCALLY, listener.awaitClosed(WAIT).reason());
        assertFalse(Files.exists(socket()));
    }

    @Test
    void socketPathsTooLongForUnixSocketsAreRefused() {
        Path tooLong = dir.resolve("x".repeat(WorkerChannel.MAX_SOCKET_PATH_BYTES) + ".sock");
        assertThrows(IllegalArgumentException.class, () -> WorkerChannel.bind(tooLong, ChannelSettings.defaults()));
    }

    @Test
    void missingRunDirIsCreatedPrivate() throws IOException {
        Path socket = dir.resolve("run").resolve("w1.sock");
        channel = WorkerChannel.bind(socket, ChannelSettings.defaults());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void noWorkerWithinTheAcceptTimeoutClosesTheChannel() throws IOException {
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults().withAcceptTimeout(Duration.ofMillis(200)));
        channel.start(listener);
        assertEquals(ChannelClosed.Reason.ACCEPT_TIMEOUT, listener.awaitClosed(WAIT).reason());
        assertFalse(Files.exists(socket()));
        assertEquals(1, listener.events().size(), "nothing but the close");
    }

    @Test
    void malformedJsonIsReportedAndReadingGoesOn() throws IOException {
        startAndConnect();
        sendRaw("{\"op\":\"hello\", oops");
        sendHeartbeat("after");
        ProtocolException error = listener.await(ProtocolException.class, WAIT);
        assertEquals(ProtocolException.Kind.MALFORMED_JSON, error.kind());
        listener.awaitFor("after", WorkerMessage.Heartbeat.class, WAIT);
        assertTrue(channel.isConnected());
    }

    @Test
    void oversizeFrameIsReportedSkippedAndReadingGoesOn() throws IOException {
        startAndConnect();
        sendRaw("{\"op\":\"log\",\"message\":\"" + "x".repeat(MAX_FRAME) + "\"}");
        sendHeartbeat("after");
        assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, listener.await(ProtocolException.class, WAIT).kind());
        listener.awaitFor("after", WorkerMessage.Heartbeat.class, WAIT);
    }

    @Test
    void unknownOpIsReportedWithItsJobAndReadingGoesOn() throws IOException {
        startAndConnect();
        sendRaw("{\"op\":\"teleport\",\"job_id\":\"j5\"}");
        sendRaw("{\"op\":\"result\",\"outputs\":{}}");
        sendHeartbeat("after");
        List<ProtocolException> errors = List.of(
                listener.await(ProtocolException.class, e -> e.kind() == ProtocolException.Kind.UNKNOWN_OP, WAIT),
                listener.await(ProtocolException.class, e -> e.kind() == ProtocolException.Kind.INVALID_MESSAGE, WAIT));
        assertEquals("j5", errors.get(0).jobId());
        assertEquals("result", errors.get(1).op());
        listener.awaitFor("after", WorkerMessage.Heartbeat.class, WAIT);
    }

    @Test
    void truncatedFrameIsReportedThenThePeerIsGone() throws IOException {
        startAndConnect();
        fake.write(ByteBuffer.allocate(6).putInt(100).put((byte) '{').put((byte) '"').flip());
        fake.close();
        assertEquals(ProtocolException.Kind.TRUNCATED, listener.await(ProtocolException.class, WAIT).kind());
        ChannelClosed closed = listener.awaitClosed(WAIT);
        assertEquals(ChannelClosed.Reason.PEER_CLOSED, closed.reason());
        assertTrue(closed.isPeerGone());
        assertFalse(channel.isConnected());
    }

    @Test
    void peerClosingIsReportedOnceAndLast() throws IOException {
        startAndConnect();
        sendHeartbeat("j1");
        fake.close();
        assertEquals(ChannelClosed.Reason.PEER_CLOSED, listener.awaitClosed(WAIT).reason());
        channel.close();
        List<Object> events = listener.events();
        assertEquals(1, listener.all(ChannelClosed.class).size());
        assertTrue(events.get(events.size() - 1) instanceof ChannelClosed);
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheChannel() throws IOException {
        RecordingListener recorder = new RecordingListener();
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults());
        channel.start(new WorkerListener() {
            @Override
            public void onConnected() {
                recorder.onConnected();
            }

            @Override
            public void onMessage(WorkerMessage message) {
                recorder.onMessage(message);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onProtocolError(ProtocolException error) {
                recorder.onProtocolError(error);
            }

            @Override
            public void onClosed(ChannelClosed closed) {
                recorder.onClosed(closed);
            }
        });
        fake = SocketChannel.open(StandardProtocolFamily.UNIX);
        fake.connect(UnixDomainSocketAddress.of(socket()));
        sendHeartbeat("first");
        sendHeartbeat("second");
        recorder.awaitFor("second", WorkerMessage.Heartbeat.class, WAIT);
    }

    @Test
    void framesFromManyThreadsArriveWholeAndInOrderPerThread() throws Exception {
        int maxFrame = 1024 * 1024;
        startAndConnect(maxFrame);
        FrameCodec codec = new FrameCodec(maxFrame);
        FrameReader reader = new FrameReader(fake, maxFrame);
        // Every 7th frame is too big for the caller to write itself, so both write paths interleave.
        var bigInput = FrameCodec.mapper().createObjectNode().put("blob", "z".repeat(64 * 1024));
        int threads = 4;
        int perThread = 200;
        List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    String jobId = thread + ":" + i;
                    BridgeMessage message = i % 7 == 0
                            ? new BridgeMessage.Run(jobId, "cpu.echo", bigInput, null, 1, "/s", 0)
                            : new BridgeMessage.Cancel(jobId);
                    try {
                        assertTrue(channel.send(message));
                    } catch (ProtocolException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        senders.forEach(Thread::start);
        int[] next = new int[threads];
        for (int n = 0; n < threads * perThread; n++) {
            BridgeMessage message = codec.decodeBridgeMessage(reader.next());
            String jobId = message instanceof BridgeMessage.Run run ? run.jobId() : ((BridgeMessage.Cancel) message).jobId();
            String[] parts = jobId.split(":");
            int thread = Integer.parseInt(parts[0]);
            assertEquals(next[thread], Integer.parseInt(parts[1]), "frames of thread " + thread + " in order");
            next[thread]++;
        }
        for (Thread sender : senders) {
            sender.join();
        }
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheConnection() throws Exception {
        startAndConnect();
        FrameReader reader = new FrameReader(fake, MAX_FRAME);
        Thread.currentThread().interrupt();
        try {
            assertTrue(channel.send(new BridgeMessage.Cancel("j1")));
        } finally {
            assertTrue(Thread.interrupted(), "the caller's interrupt is left alone");
        }
        assertEquals(new BridgeMessage.Cancel("j1"), new FrameCodec(MAX_FRAME).decodeBridgeMessage(reader.next()));
        assertTrue(channel.isConnected());
    }

    @Test
    void sendingBeforeConnectOrAfterCloseReportsFalse() throws IOException {
        channel = WorkerChannel.bind(socket(), ChannelSettings.defaults());
        assertFalse(channel.send(new BridgeMessage.Shutdown()));
        channel.start(listener);
        fake = SocketChannel.open(StandardProtocolFamily.UNIX);
        fake.connect(UnixDomainSocketAddress.of(socket()));
        listener.await(RecordingListener.Connected.class, WAIT);
        assertTrue(channel.send(new BridgeMessage.Shutdown()));
        channel.close();
        assertFalse(channel.send(new BridgeMessage.Shutdown()));
        assertEquals(ChannelClosed.Reason.CLOSED_LOCALLY, listener.awaitClosed(WAIT).reason());
    }

    @Test
    void oversizeOutgoingFrameIsRefusedToTheCaller() throws IOException {
        startAndConnect();
        var input = FrameCodec.mapper().createObjectNode().put("blob", "x".repeat(MAX_FRAME));
        ProtocolException e = assertThrows(ProtocolException.class, () -> channel.send(
                new BridgeMessage.Run("j1", "cpu.echo", input, null, 1, dir.toString(), 0)));
        assertEquals(ProtocolException.Kind.FRAME_TOO_LARGE, e.kind());
        assertTrue(channel.isConnected());
    }

    @Test
    void silenceIsMeasuredFromTheLastFrame() throws IOException {
        startAndConnect();
        sendHeartbeat("j1");
        listener.awaitFor("j1", WorkerMessage.Heartbeat.class, WAIT);
        assertTrue(channel.silentFor().compareTo(Duration.ofSeconds(5)) < 0);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (channel.silentFor().toMillis() < 200) {
            assertTrue(System.nanoTime() < deadline, "silence never grew");
            sleepQuietly(10);
        }
        sendHeartbeat("j2");
        listener.awaitFor("j2", WorkerMessage.Heartbeat.class, WAIT);
        assertTrue(channel.silentFor().toMillis() < 200, "a frame resets the silence");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
