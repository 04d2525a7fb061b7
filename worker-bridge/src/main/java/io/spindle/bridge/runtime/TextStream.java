package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerContext;
import java.time.Duration;

/**
 * The text of a generation as its tokens arrive: reports the text so far as progress, at most every
 * {@link #PROGRESS_INTERVAL} (a token may take a millisecond; a progress frame per token would flood the node).
 */
public final class TextStream {
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    /** Characters of the text so far in a progress message: its tail, so a long text stays a small frame. */
    static final int PROGRESS_CHARS = 2_000;
    private static final double MAX_PERCENT_WHILE_STREAMING = 99;

    private final WorkerContext ctx;
    private final int maxTokens;
    private final StringBuilder text = new StringBuilder();
    private int tokens;
    private long lastReport = System.nanoTime();

    public TextStream(WorkerContext ctx, int maxTokens) {
        this.ctx = ctx;
        this.maxTokens = maxTokens;
    }

    /** Appends the text of {@code newTokens} tokens (a chunk may carry several, or none). */
    public void append(String piece, int newTokens) {
        text.append(piece);
        tokens += newTokens;
        long now = System.nanoTime();
        if (now - lastReport >= PROGRESS_INTERVAL.toNanos()) {
            lastReport = now;
            report();
        }
    }

    /** Reports the text so far now. */
    public void report() {
        double percent = Math.min(MAX_PERCENT_WHILE_STREAMING, 100.0 * tokens / maxTokens);
        String message = text.length() <= PROGRESS_CHARS ? text.toString() : "…" + text.substring(text.length() - PROGRESS_CHARS);
        ctx.progress(percent, message);
    }

    public String text() {
        return text.toString();
    }

    public int tokens() {
        return tokens;
    }
}
