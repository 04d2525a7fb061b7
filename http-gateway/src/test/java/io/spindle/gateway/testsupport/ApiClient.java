package io.spindle.gateway.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A plain java.net.http client of one bound gateway; headers are given as name, value pairs. */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final HttpClient http;
    private final URI base;

    public ApiClient(HttpClient http, int port) {
        this.http = http;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public ApiResponse get(String path, String... headers) {
        return send(builder(path, headers).GET());
    }

    public ApiResponse post(String path, String json, String... headers) {
        return send(builder(path, withJson(headers)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public ApiResponse patch(String path, String json, String... headers) {
        return send(builder(path, withJson(headers)).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public ApiResponse method(String method, String path, String... headers) {
        return send(builder(path, headers).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public ApiResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    public HttpClient http() {
        return http;
    }

    private static String[] withJson(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                return headers;
            }
        }
        List<String> all = new java.util.ArrayList<>(List.of(headers));
        all.add("Content-Type");
        all.add("application/json");
        return all.toArray(new String[0]);
    }
}
