package io.spindle.bridge.runtime;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} request body (RFC 7578) for the JDK client, which has none: text fields, and files
 * streamed from disk rather than read into memory.
 */
final class MultipartForm {
    private static final String CRLF = "\r\n";
    /** Names and file names go inside quotes in a header, so only plain characters are kept. */
    private static final Pattern UNSAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final String boundary = "spindle-" + UUID.randomUUID();
    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    MultipartForm field(String name, String value) {
        parts.add(text(head(name) + CRLF + CRLF + value + CRLF));
        return this;
    }

    /** A file part; fails when {@code file} cannot be opened. */
    MultipartForm file(String name, String fileName, String mime, Path file) throws FileNotFoundException {
        parts.add(text(head(name) + "; filename=\"" + safe(fileName) + "\"" + CRLF + "Content-Type: " + mime + CRLF + CRLF));
        parts.add(HttpRequest.BodyPublishers.ofFile(file));
        parts.add(text(CRLF));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    HttpRequest.BodyPublisher body() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
        all.add(text("--" + boundary + "--" + CRLF));
        return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
    }

    private String head(String name) {
        return "--" + boundary + CRLF + "Content-Disposition: form-data; name=\"" + safe(name) + "\"";
    }

    private static String safe(String name) {
        return UNSAFE_NAME.matcher(name).replaceAll("_");
    }

    private static HttpRequest.BodyPublisher text(String text) {
        return HttpRequest.BodyPublishers.ofByteArray(text.getBytes(StandardCharsets.UTF_8));
    }
}
