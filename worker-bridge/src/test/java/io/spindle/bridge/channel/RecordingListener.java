package io.spindle.bridge.channel;

import static org.junit.jupiter.api.Assertions.fail;

import io.spindle.bridge.protocol.ProtocolException;
import io.spindle.bridge.protocol.WorkerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Records every callback of a {@link WorkerChannel} and lets a test wait for the one it expects. */
public final class RecordingListener implements WorkerListener {
    /** Marks the connection in the event list. */
    public record Connected() {}

    private final List<Object> events = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();

    @Override
    public void onConnected() {
        record(new Connected());
    }

    @Override
    public void onMessage(WorkerMessage message) {
        record(message);
    }

    @Override
    public void onProtocolError(ProtocolException error) {
        record(error);
    }

    @Override
    public void onClosed(ChannelClosed closed) {
        record(closed);
    }

    private synchronized void record(Object event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    public synchronized List<Object> events() {
        return List.copyOf(events);
    }

    public synchronized List<String> callbackThreads() {
        return List.copyOf(threads);
    }

    public <T> List<T> all(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The first event of {@code type} matching {@code filter}, waiting up to {@code timeout} for it. */
    public synchronized <T> T await(Class<T> type, Predicate<? super T> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = events.stream().filter(type::isInstance).map(type::cast).filter(filter).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + type.getSimpleName() + " matching within " + timeout + "; events: " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    public <T> T await(Class<T> type, Duration timeout) {
        return await(type, any -> true, timeout);
    }

    /** The first message about {@code jobId} of {@code type}. */
    public <T extends WorkerMessage> T awaitFor(String jobId, Class<T> type, Duration timeout) {
        return await(type, message -> jobId.equals(message.jobId()), timeout);
    }

    public ChannelClosed awaitClosed(Duration timeout) {
        return await(ChannelClosed.class, timeout);
    }
}
