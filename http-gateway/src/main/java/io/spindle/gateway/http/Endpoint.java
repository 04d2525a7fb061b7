package io.spindle.gateway.http;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * One operation of the API: a method, a path template whose {@code {name}} segments match any one
 * segment, and the route serving it. {@code open} endpoints need no API token.
 */
public record Endpoint(HttpMethod method, String path, boolean open, Function<PathParams, Route> handler) {

    public Endpoint {
        if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
            throw new IllegalArgumentException("path templates start with '/' and do not end with one: " + path);
        }
    }

    public static Endpoint get(String path, Function<PathParams, Route> handler) {
        return new Endpoint(HttpMethods.GET, path, false, handler);
    }

    public static Endpoint post(String path, Function<PathParams, Route> handler) {
        return new Endpoint(HttpMethods.POST, path, false, handler);
    }

    public static Endpoint put(String path, Function<PathParams, Route> handler) {
        return new Endpoint(HttpMethods.PUT, path, false, handler);
    }

    public static Endpoint patch(String path, Function<PathParams, Route> handler) {
        return new Endpoint(HttpMethods.PATCH, path, false, handler);
    }

    /** The same endpoint, served without the API token. */
    public Endpoint withoutAuth() {
        return new Endpoint(method, path, true, handler);
    }

    /** The template's segments, e.g. {@code ["jobs", "{id}", "events"]}. */
    public List<String> segments() {
        return path.equals("/") ? List.of() : Arrays.asList(path.substring(1).split("/", -1));
    }

    @Override
    public String toString() {
        return method.name() + " " + path;
    }
}
