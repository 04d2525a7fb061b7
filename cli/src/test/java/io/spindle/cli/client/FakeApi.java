package io.spindle.cli.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free local port serving canned Spindle API answers by method and path, recording every
 * request it gets. Unknown routes answer the API's 404 {@code not_found}.
 */
public final class FakeApi implements AutoCloseable {
    /** One request as the server received it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** Writes the whole answer to one request. */
    @FunctionalInterface
    public interface Responder {
        void respond(Request request, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** Started and listening; a test class holds one per test as an {@code @AutoClose} field. */
    public FakeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a local port for the fake API", e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::dispatch);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeApi on(String method, String path, Responder responder) {
        routes.put(method + " " + path, responder);
        return this;
    }

    public FakeApi onJson(String method, String path, int status, String body) {
        return on(method, path, json(status, body));
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public Request last(String method, String path) {
        List<Request> matching = requests(method, path);
        if (matching.isEmpty()) {
            throw new AssertionError("no " + method + " " + path + " request; got " + requests);
        }
        return matching.get(matching.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static Responder json(int status, String body) {
        return (request, exchange) -> send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    public static Responder error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}");
    }

    /** Answers with each responder in turn; the last one keeps answering. */
    public static Responder sequence(Responder... each) {
        AtomicInteger next = new AtomicInteger();
        return (request, exchange) -> each[Math.min(next.getAndIncrement(), each.length - 1)].respond(request, exchange);
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            Responder responder = routes.get(request.method() + " " + request.path());
            if (responder == null) {
                error(404, "not_found", "no route " + request.method() + " " + request.path()).respond(request, exchange);
            } else {
                try {
                    responder.respond(request, exchange);
                } catch (RuntimeException e) {
                    // A broken canned answer shows up in the test's failure instead of as a dropped connection.
                    e.printStackTrace();
                    error(500, "internal", "fake API responder failed: " + e.toString().replace('"', '\'')).respond(request, exchange);
                }
            }
        }
    }
}
