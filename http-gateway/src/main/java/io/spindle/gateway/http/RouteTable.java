package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.Rejections;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's single list of endpoints, and the router over it: a request goes to the endpoint whose
 * method and path template match (literal segments win over {@code {name}} segments). A path that
 * matches no template is rejected as not found; a path that matches with another method is
 * rejected with the methods it supports (405 with {@code Allow}). The list is what the OpenAPI test
 * compares with docs/openapi.yaml and what the request metrics name routes by.
 */
public final class RouteTable {

    /** An endpoint matched by a request path, with the values of its template's parameters. */
    public record Match(Endpoint endpoint, PathParams params) {}

    /** An endpoint with its template split into segments once, not at every request. */
    private record Template(Endpoint endpoint, List<String> segments) {}

    private final List<Endpoint> endpoints;
    /** The templates by their number of segments, in {@link #endpoints}' order. */
    private final Map<Integer, List<Template>> bySize = new HashMap<>();

    public RouteTable(List<Endpoint> endpoints) {
        Set<String> seen = new HashSet<>();
        for (Endpoint e : endpoints) {
            if (!seen.add(e.method().name() + " " + e.path())) {
                throw new IllegalArgumentException("endpoint listed twice: " + e);
            }
        }
        // Most literal segments first, so /jobs/batch is tried before /jobs/{id}.
        List<Endpoint> sorted = new ArrayList<>(endpoints);
        sorted.sort(Comparator.comparingLong((Endpoint e) -> e.segments().stream().filter(s -> !isParameter(s)).count()).reversed());
        this.endpoints = List.copyOf(sorted);
        for (Endpoint e : this.endpoints) {
            List<String> segments = List.copyOf(e.segments());
            bySize.computeIfAbsent(segments.size(), size -> new ArrayList<>()).add(new Template(e, segments));
        }
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The endpoint serving {@code request}, if its method and path match one. */
    public Optional<Match> find(HttpRequest request) {
        return matchPath(segments(request)).stream().filter(m -> m.endpoint().method().equals(request.method())).findFirst();
    }

    /** The path template the request's path matches (whatever its method), for naming it in metrics. */
    public Optional<String> template(HttpRequest request) {
        return matchPath(segments(request)).stream().map(m -> m.endpoint().path()).findFirst();
    }

    public Route route() {
        return extractRequest(request -> {
            List<Match> candidates = matchPath(segments(request));
            for (Match m : candidates) {
                if (m.endpoint().method().equals(request.method())) {
                    return m.endpoint().handler().apply(m.params());
                }
            }
            if (candidates.isEmpty()) {
                return reject();
            }
            Map<String, Rejection> byMethod = new LinkedHashMap<>();
            candidates.forEach(m -> byMethod.putIfAbsent(m.endpoint().method().name(), Rejections.method(m.endpoint().method())));
            List<Rejection> rejections = List.copyOf(byMethod.values());
            return reject(rejections.get(0), rejections.subList(1, rejections.size()).toArray(new Rejection[0]));
        });
    }

    private List<Match> matchPath(List<String> segments) {
        List<Match> matches = new ArrayList<>();
        for (Template candidate : bySize.getOrDefault(segments.size(), List.of())) {
            Endpoint e = candidate.endpoint();
            List<String> template = candidate.segments();
            Map<String, String> params = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < template.size() && ok; i++) {
                String t = template.get(i);
                String s = segments.get(i);
                if (isParameter(t)) {
                    ok = !s.isEmpty();
                    params.put(t.substring(1, t.length() - 1), s);
                } else {
                    ok = t.equals(s);
                }
            }
            if (ok) {
                matches.add(new Match(e, new PathParams(params)));
            }
        }
        return matches;
    }

    /** The request path's decoded segments; a trailing slash leaves an empty last segment, which matches nothing. */
    static List<String> segments(HttpRequest request) {
        List<String> out = new ArrayList<>();
        request.getUri().pathSegments().forEach(out::add);
        if (request.getUri().path().endsWith("/") && request.getUri().path().length() > 1) {
            out.add("");
        }
        return out;
    }

    /** Methods an endpoint on {@code path} may be called with; used to check the route list in tests. */
    public List<HttpMethod> methodsOf(String path) {
        return endpoints.stream().filter(e -> e.path().equals(path)).map(Endpoint::method).toList();
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
