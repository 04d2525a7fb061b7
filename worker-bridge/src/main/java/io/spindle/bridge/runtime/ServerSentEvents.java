package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code data:} payloads of a server-sent event stream, read on a thread of their own so that the shim waits
 * for each with its deadline and notices a cancel: a server that stops sending mid-stream must end in a
 * {@code timeout}, not in a worker blocked in a read.
 */
final class ServerSentEvents implements AutoCloseable {
    /** How often a wait for the next event looks at the job's cancel flag. */
    static final Duration CANCEL_CHECK = Duration.ofMillis(100);
    private static final String DATA = "data:";

    private sealed interface Item {}

    private record Data(String payload) implements Item {}

    private record End() implements Item {}

    private record Broken(IOException error) implements Item {}

    private final InputStream body;
    private final String source;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();

    ServerSentEvents(InputStream body, String source) {
        this.body = body;
        this.source = source;
        Thread reader = new Thread(this::read, "sse-" + source);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(DATA)) {
                    items.add(new Data(line.substring(DATA.length()).strip()));
                }
            }
            items.add(new End());
        } catch (IOException e) {
            items.add(new Broken(e));
        }
    }

    /** The next data payload, or empty when the stream ended; waits until {@code deadlineNanos} at most. */
    Optional<String> next(long deadlineNanos, Duration budget, WorkerContext ctx) throws WorkerFailure {
        while (true) {
            ctx.checkCancelled();
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw Failures.timeout(source + " stopped sending; the answer was not complete within " + budget.toMillis() + " ms");
            }
            Item item;
            try {
                item = items.poll(Math.min(left, CANCEL_CHECK.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ctx.isCancelled() ? WorkerFailure.canceled()
                        : WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, source + ": read interrupted");
            }
            if (item == null) {
                continue;
            }
            if (item instanceof Data data) {
                return Optional.of(data.payload());
            }
            if (item instanceof Broken broken) {
                throw WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, source + ": the stream broke: " + broken.error());
            }
            return Optional.empty();
        }
    }

    /** Closes the body; a reader still blocked in it ends with it (its thread is a daemon either way). */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // Nothing more to read from a stream we are abandoning.
        }
    }
}
