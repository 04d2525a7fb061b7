package io.spindle.cli.client;

/** The server answered with a body this client cannot read (not JSON, or not the documented shape). */
public final class ApiFormatException extends RuntimeException {
    public ApiFormatException(String message) {
        super(message);
    }
}
