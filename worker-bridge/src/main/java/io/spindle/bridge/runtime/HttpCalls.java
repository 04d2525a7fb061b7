package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP calls of the HTTP shims, with Spindle's failure classification: a timeout or an unreachable server is
 * transient, a status is classified by {@link Failures#forHttpStatus}, and a cancel interrupts the call.
 */
public final class HttpCalls {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Characters of an error body quoted in the failure message. */
    static final int ERROR_BODY_CHARS = 300;
    private static final int FIRST_SUCCESS = 200;
    private static final int FIRST_NON_SUCCESS = 300;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private HttpCalls() {}

    /** Sends {@code request} (which carries its own timeout) and returns a 2xx response, or fails classified. */
    public static HttpResponse<byte[]> send(HttpRequest request, WorkerContext ctx) throws WorkerFailure {
        HttpResponse<byte[]> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw Failures.timeout(request.method() + " " + request.uri() + " did not answer within "
                    + request.timeout().map(t -> t.toMillis() + " ms").orElse("its timeout"));
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, request.method() + " " + request.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ctx.isCancelled() ? WorkerFailure.canceled()
                    : WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, request.uri() + ": call interrupted");
        }
        int status = response.statusCode();
        if (status < FIRST_SUCCESS || status >= FIRST_NON_SUCCESS) {
            throw Failures.forHttpStatus(status, request.uri().toString(), snippet(response.body()));
        }
        return response;
    }

    /**
     * Sends {@code request} and returns a 2xx response whose body is read as it arrives (a server-sent event
     * stream), or fails classified as {@link #send} does. The request's timeout covers only the wait for the
     * headers: the caller bounds the reading of the body ({@link ServerSentEvents}).
     */
    public static HttpResponse<InputStream> stream(HttpRequest request, WorkerContext ctx) throws WorkerFailure {
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw Failures.timeout(request.method() + " " + request.uri() + " did not answer within "
                    + request.timeout().map(t -> t.toMillis() + " ms").orElse("its timeout"));
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, request.method() + " " + request.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ctx.isCancelled() ? WorkerFailure.canceled()
                    : WorkerFailure.transientFailure(Failures.RUNTIME_UNREACHABLE, request.uri() + ": call interrupted");
        }
        int status = response.statusCode();
        if (status < FIRST_SUCCESS || status >= FIRST_NON_SUCCESS) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(ERROR_BODY_CHARS * 4);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw Failures.forHttpStatus(status, request.uri().toString(), snippet(body));
        }
        return response;
    }

    /** An absolute http(s) URL from a config param, or a permanent failure naming the param. */
    public static URI url(String param, String value) throws WorkerFailure {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw Failures.invalidParams(param, "must be an absolute http(s) URL, was '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw Failures.invalidParams(param, "is not a URL: " + e.getMessage());
        }
    }

    /**
     * The secret in the environment variable named by the config param {@code envParam} (never by the job's input,
     * which must not pick which of the node's secrets to send): required when the param is set,
     * else read from {@code defaultEnv} if that is set; null when there is none (a local server needs no key).
     */
    public static String secret(RunFields fields, String envParam, String defaultEnv) throws WorkerFailure {
        String named = fields.param(envParam, null);
        String variable = named == null ? defaultEnv : named;
        String value = variable == null ? null : System.getenv(variable);
        if (named != null && (value == null || value.isBlank())) {
            throw WorkerFailure.permanent(Failures.MISSING_CREDENTIALS,
                    "params." + envParam + " names " + named + ", which is not set in this node's environment");
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= ERROR_BODY_CHARS ? text : text.substring(0, ERROR_BODY_CHARS) + "…";
    }
}
