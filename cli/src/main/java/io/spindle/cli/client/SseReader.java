package io.spindle.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} as the HTML Living Standard defines it: {@code field: value} lines, one leading
 * space after the colon dropped, {@code data} lines joined with newlines, comment lines ({@code :}) ignored, a blank
 * line dispatching the event. An event without data is not dispatched; the last {@code id} carries over.
 */
public final class SseReader implements AutoCloseable {
    private static final String DEFAULT_EVENT = "message";

    private final BufferedReader lines;
    private String lastId;

    public SseReader(InputStream in) {
        // readLine() ends lines at \n, \r or \r\n: exactly the three line ends SSE allows.
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, blocking until it is complete; null when the stream ends (an unfinished event is dropped). */
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(lastId, event == null ? DEFAULT_EVENT : event, data.toString());
                }
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field.equals("event")) {
                event = value;
            } else if (field.equals("id") && value.indexOf('\0') < 0) {
                lastId = value;
            }
            // "retry" and unknown fields are ignored, as the standard says.
        }
        return null;
    }

    /** The id of the last event read (or given by an {@code id} line), for {@code Last-Event-ID} on reconnect. */
    public String lastId() {
        return lastId;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
