package io.spindle.cli.client;

import java.net.URI;

/** No HTTP answer at all: connection refused, unknown host, timed out, or the connection dropped mid-answer. */
public final class ServerUnreachableException extends RuntimeException {
    private final URI server;

    public ServerUnreachableException(URI server, String reason, Throwable cause) {
        super("cannot reach the Spindle server at " + server + ": " + reason, cause);
        this.server = server;
    }

    public URI server() {
        return server;
    }
}
