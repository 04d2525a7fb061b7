package io.spindle.gateway.health;

import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.complete;

import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.readmodel.ProjectionFailures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** Liveness (always 200, no token), readiness (every backend answers in time) and Prometheus metrics. */
public final class OperationsRoutes {
    static final String OK = "ok";
    static final String PROJECTION = "projection";
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

    private final SpindleMetrics metrics;
    private final List<BackendCheck> checks;
    private final Duration readyTimeout;
    private final ProjectionFailures projectionFailures;

    public OperationsRoutes(SpindleMetrics metrics, List<BackendCheck> checks, Duration readyTimeout,
                            ProjectionFailures projectionFailures) {
        this.metrics = metrics;
        this.projectionFailures = projectionFailures;
        this.checks = List.copyOf(checks);
        if (checks.stream().map(BackendCheck::name).distinct().count() != checks.size()) {
            throw new IllegalArgumentException("backend check names must be unique: " + checks.stream().map(BackendCheck::name).toList());
        }
        this.readyTimeout = readyTimeout;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/health", p -> complete(ok(Health.OK))).withoutAuth(),
                Endpoint.get("/ready", p -> QueryParams.none(this::ready)),
                Endpoint.get("/metrics", p -> QueryParams.none(this::metrics)));
    }

    private Route ready() {
        Map<String, CompletableFuture<String>> running = new LinkedHashMap<>();
        checks.forEach(c -> running.put(c.name(), run(c)));
        CompletionStage<HttpResponse> answer = CompletableFuture.allOf(running.values().toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> {
                    Map<String, String> results = new LinkedHashMap<>();
                    running.forEach((name, result) -> results.put(name, result.join()));
                    List<String> failing = results.entrySet().stream().filter(e -> !e.getValue().equals(OK)).map(Map.Entry::getKey).toList();
                    Map<String, String> notes = notes();
                    if (failing.isEmpty()) {
                        return ok(new Readiness("ready", results, notes.isEmpty() ? null : notes));
                    }
                    Map<String, Object> details = new LinkedHashMap<>(Map.of("failing", failing, "checks", results));
                    if (!notes.isEmpty()) {
                        details.put("notes", notes);
                    }
                    return ApiErrors.response(SpindleError.of(ErrorCode.UNAVAILABLE, "not ready: " + String.join(", ", failing), details));
                });
        return respond(answer);
    }

    /** What the node works around without being unready: job views the projection had to skip. */
    private Map<String, String> notes() {
        return projectionFailures.last().map(last -> Map.of(PROJECTION, "skipped " + projectionFailures.count()
                + " job view(s) the store refused; last: job " + last.jobId() + " (events up to offset " + last.offset() + ") at "
                + last.at() + ": " + last.error())).orElse(Map.of());
    }

    /** "ok", or what went wrong; never fails, and gives up after the ready timeout. */
    private CompletableFuture<String> run(BackendCheck check) {
        CompletableFuture<String> result = new CompletableFuture<>();
        try {
            check.check().whenComplete((ignored, failure) -> result.complete(failure == null ? OK : describe(failure)));
        } catch (RuntimeException e) {
            result.complete(describe(e));
        }
        return result.completeOnTimeout("no answer within " + readyTimeout.toMillis() + " ms", readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String describe(Throwable failure) {
        Throwable t = ApiErrors.unwrap(failure);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private Route metrics() {
        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        return complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(PROMETHEUS_TEXT, text));
    }
}
