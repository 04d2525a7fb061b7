package io.spindle.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * JSON requests written and answered on the calling thread, over the JDK's {@link HttpURLConnection}: for callers
 * that keep many requests in flight from threads of their own ({@code spindle bench}). The JDK's {@code HttpClient},
 * which {@link SpindleClient} uses for everything else, hands each request between its selector thread and an
 * executor; here the caller's thread writes the request and reads the answer, for about a third of the client CPU per
 * request (docs/performance.md). Connections are kept alive by the JDK's keep-alive cache, which keeps up to
 * {@code http.maxConnections} idle connections per server (5 unless the process sets it, as {@code spindle bench} does).
 *
 * <p>The JDK may send a POST a second time when a kept-alive connection turns out closed before any answer, unless
 * {@code sun.net.http.retryPost} is false (as {@code spindle bench}, whose jobs carry no idempotency key, sets it);
 * other callers that must not create something twice send an {@code Idempotency-Key}.
 */
final class DirectExchange {
    private static final String JSON = "application/json";
    private static final int FIRST_ERROR_STATUS = 400;

    private final URI server;
    private final String token;
    private final int connectTimeoutMillis;
    private final int requestTimeoutMillis;
    private final Function<Throwable, ServerUnreachableException> unreachable;

    /** Requests to {@code server} (no trailing slash) with {@code token} (or null); {@code unreachable} names I/O failures. */
    DirectExchange(URI server, String token, Duration connectTimeout, Duration requestTimeout,
                   Function<Throwable, ServerUnreachableException> unreachable) {
        this.server = server;
        this.token = token;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.requestTimeoutMillis = Math.toIntExact(requestTimeout.toMillis());
        this.unreachable = unreachable;
    }

    /** POSTs {@code json} to {@code path}; answers a success, throws {@link ApiException} for an error answer. */
    ApiReply post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(server + path).toURL().openConnection();
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(requestTimeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", JSON);
            connection.setRequestProperty("Accept", JSON);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            // Read to the end (and closed) whatever the status: only then is the connection kept for the next request.
            String answer = readAll(status >= FIRST_ERROR_STATUS ? connection.getErrorStream() : connection.getInputStream());
            if (status >= FIRST_ERROR_STATUS) {
                throw ApiException.fromResponse(status, answer, Optional.ofNullable(connection.getHeaderField("Retry-After")));
            }
            return new ApiReply(status, answer);
        } catch (IOException e) {
            throw unreachable.apply(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
