package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.spindle.node.metrics.SpindleMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The gateway's meters in the node's registry: {@code spindle_http_requests_total} by method, route
 * template and status, and {@code spindle_http_request_duration_seconds} by method and route (time
 * to the response headers). Routes are named by template, never by raw path, so job ids do not
 * explode the number of series; requests matching no template are {@code unmatched}.
 */
public final class RequestMetrics {
    static final String UNMATCHED = "unmatched";
    private final SpindleMetrics metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(SpindleMetrics metrics) {
        this.metrics = metrics;
    }

    public Route measure(RouteTable table, Supplier<Route> inner) {
        return extractRequest(request -> {
            long start = System.nanoTime();
            String method = request.method().name();
            String route = table.template(request).orElse(UNMATCHED);
            return mapResponse(response -> {
                record(method, route, response.status().intValue(), System.nanoTime() - start);
                return response;
            }, inner);
        });
    }

    private void record(String method, String route, int status, long nanos) {
        String status3 = Integer.toString(status);
        counters.computeIfAbsent(method + ' ' + route + ' ' + status3, k -> metrics.counter("spindle_http_requests",
                "HTTP requests served by the gateway", "method", method, "route", route, "status", status3)).increment();
        timers.computeIfAbsent(method + ' ' + route, k -> metrics.timer("spindle_http_request_duration",
                "Time from request to response headers", "method", method, "route", route)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
