package io.spindle.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Spindle HTTP API as plain Java calls over {@link HttpClient}: every call answers the API's body as is
 * ({@link ApiReply}) or throws {@link ApiException} (an error answer) or {@link ServerUnreachableException} (no answer).
 * The paths and fields are those of docs/openapi.yaml.
 */
public final class SpindleClient {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a plain request may take until its answer's headers arrive; streams (SSE, bytes) have no limit. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final int FIRST_ERROR_STATUS = 400;
    private static final String RETRY_AFTER = "Retry-After";

    private final URI server;
    private final String token;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final DirectExchange direct;

    public SpindleClient(URI server, String token) {
        this(server, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public SpindleClient(URI server, String token, Duration connectTimeout, Duration requestTimeout) {
        this.server = withoutTrailingSlash(server);
        this.token = token == null || token.isBlank() ? null : token;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the gateway speaks it, and the default HTTP/2 attempt on plain http only adds an upgrade dance.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.direct = new DirectExchange(this.server, this.token, connectTimeout, requestTimeout, this::unreachable);
    }

    public URI server() {
        return server;
    }

    // ---- jobs

    public ApiReply submit(JobSpec spec) {
        return join(submitAsync(spec));
    }

    public CompletableFuture<ApiReply> submitAsync(JobSpec spec) {
        return sendAsync(post("/jobs", Json.mapper().valueToTree(spec)));
    }

    /**
     * As {@link #submit}, written and answered on the calling thread over a plain connection ({@link DirectExchange}):
     * for callers that keep many submits in flight from threads of their own. Give the spec an idempotency key.
     */
    public ApiReply submitDirect(JobSpec spec) {
        return direct.post("/jobs", write(Json.mapper().valueToTree(spec)));
    }

    /**
     * {@code POST /jobs/batch}: one result per spec, in order; items fail on their own (see JobBatchResult). On the
     * calling thread, as {@link #submitDirect}.
     */
    public ApiReply submitBatchDirect(List<JobSpec> specs) {
        return direct.post("/jobs/batch", write(Json.object().set("jobs", Json.mapper().valueToTree(specs))));
    }

    public ApiReply job(String id) {
        return join(jobAsync(id));
    }

    public CompletableFuture<ApiReply> jobAsync(String id) {
        return sendAsync(get("/jobs/" + segment(id)));
    }

    public ApiReply jobs(JobFilter filter) {
        return join(jobsAsync(filter));
    }

    public CompletableFuture<ApiReply> jobsAsync(JobFilter filter) {
        return sendAsync(get("/jobs" + query(filter.parameters())));
    }

    public ApiReply cancel(String id, String reason) {
        JsonNode body = reason == null ? Json.object() : Json.object().put("reason", reason);
        return join(sendAsync(post("/jobs/" + segment(id) + "/cancel", body)));
    }

    public ApiReply requeue(String id) {
        return join(sendAsync(request("/jobs/" + segment(id) + "/requeue").POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** The job's journaled history ({@code JobEventList}). */
    public ApiReply events(String id) {
        return join(sendAsync(get("/jobs/" + segment(id) + "/events")));
    }

    /**
     * Streams the job's events as SSE, handing each to {@code listener} until it answers false or the server
     * completes the stream (it does once the job is terminal). Answers the id of the last event seen, for resuming.
     */
    public String followEvents(String id, String lastEventId, Predicate<SseEvent> listener) {
        HttpRequest.Builder b = request("/jobs/" + segment(id) + "/events").setHeader("Accept", EVENT_STREAM).GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = stream(b.build());
        String last = lastEventId;
        try (SseReader reader = new SseReader(response.body())) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                last = event.id() == null ? last : event.id();
                if (!listener.test(event)) {
                    break;
                }
            }
            return last;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    public ApiReply artifacts(String jobId) {
        return join(sendAsync(get("/jobs/" + segment(jobId) + "/artifacts")));
    }

    /** One artifact's metadata with its lineage ({@code ArtifactWithLineage}). */
    public ApiReply artifact(String id) {
        return join(sendAsync(get("/artifacts/" + segment(id))));
    }

    /** The artifact's bytes as a stream the caller must close; an error answer is thrown, not returned. */
    public InputStream artifactBytes(String id) {
        HttpRequest r = request("/artifacts/" + segment(id) + "/bytes").setHeader("Accept", "*/*").GET().build();
        return stream(r).body();
    }

    // ---- configs

    public ApiReply configs() {
        return join(sendAsync(get("/configs")));
    }

    public ApiReply config(String id, Integer version) {
        String q = version == null ? "" : query(Map.of("version", version.toString()));
        return join(sendAsync(get("/configs/" + segment(id) + q)));
    }

    /** {@code POST /configs} with a {@code ConfigCreate} body. */
    public ApiReply createConfig(JsonNode body) {
        return join(sendAsync(post("/configs", body)));
    }

    /** {@code PATCH /configs/{id}} with a {@code ConfigPatch} body (e.g. {@code {"is_active": false}}). */
    public ApiReply updateConfig(String id, JsonNode patch) {
        return join(sendAsync(request("/configs/" + segment(id))
                .header("Content-Type", JSON)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(write(patch)))));
    }

    // ---- aliases

    public ApiReply alias(String name) {
        return join(sendAsync(get("/aliases/" + segment(name))));
    }

    /** {@code PUT /aliases/{name}} with {@code config_id}, {@code version}, {@code actor}, {@code reason}. */
    public ApiReply createAlias(String name, JsonNode body) {
        return join(sendAsync(request("/aliases/" + segment(name)).header("Content-Type", JSON)
                .PUT(HttpRequest.BodyPublishers.ofString(write(body)))));
    }

    /** {@code POST /aliases/{name}/promote}: the target, the experiment and gate that justify it (or {@code force}). */
    public ApiReply promoteAlias(String name, JsonNode body) {
        return join(sendAsync(post("/aliases/" + segment(name) + "/promote", body)));
    }

    public ApiReply rollbackAlias(String name, JsonNode body) {
        return join(sendAsync(post("/aliases/" + segment(name) + "/rollback", body)));
    }

    /** @param at null for the history alone; else also what the alias served then */
    public ApiReply aliasHistory(String name, java.time.Instant at) {
        String q = at == null ? "" : query(Map.of("at", at.toString()));
        return join(sendAsync(get("/aliases/" + segment(name) + "/history" + q)));
    }

    // ---- experiments

    /** {@code POST /experiments}; with {@code dryRun} the plan only (what it would select and run). */
    public ApiReply createExperiment(JsonNode spec, boolean dryRun) {
        return join(sendAsync(post("/experiments" + (dryRun ? "?dry_run=true" : ""), spec)));
    }

    public ApiReply experiment(String id) {
        return join(sendAsync(get("/experiments/" + segment(id))));
    }

    public ApiReply experimentReport(String id) {
        return join(sendAsync(get("/experiments/" + segment(id) + "/report")));
    }

    /** {@code POST /experiments/{id}/rescore} with {@code {"scorers": [...]}}. */
    public ApiReply rescore(String id, JsonNode body) {
        return join(sendAsync(post("/experiments/" + segment(id) + "/rescore", body)));
    }

    // ---- cluster

    public ApiReply clusterNodes() {
        return join(sendAsync(get("/cluster/nodes")));
    }

    public ApiReply clusterConfigs() {
        return join(sendAsync(get("/cluster/configs")));
    }

    // ---- cluster management (Pekko Management's routes: a client made with the management URL)

    public ApiReply members() {
        return join(sendAsync(get("/cluster/members")));
    }

    /** @param member a member as Pekko Management names it in paths: {@code system@host:port} */
    public ApiReply member(String member) {
        return join(sendAsync(get("/cluster/members/" + member)));
    }

    public ApiReply leave(String member) {
        return join(sendAsync(request("/cluster/members/" + member).DELETE()));
    }

    public ApiReply down(String member) {
        return join(sendAsync(request("/cluster/members/" + member).header("Content-Type", FORM)
                .PUT(HttpRequest.BodyPublishers.ofString("operation=Down"))));
    }

    /** @param entityType a sharded entity type, e.g. {@code Job} */
    public ApiReply shards(String entityType) {
        return join(sendAsync(get("/cluster/shards/" + segment(entityType))));
    }

    // ---- plumbing

    /** Waits for an async call, rethrowing its {@link ApiException} or {@link ServerUnreachableException} as is. */
    public static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        return request(path).header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(write(body)));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + pathAndQuery)).header("Accept", JSON);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private CompletableFuture<ApiReply> sendAsync(HttpRequest.Builder builder) {
        HttpRequest r = builder.timeout(requestTimeout).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw unreachable(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                    }
                    if (response.statusCode() >= FIRST_ERROR_STATUS) {
                        throw ApiException.fromResponse(response.statusCode(), response.body(), response.headers().firstValue(RETRY_AFTER));
                    }
                    return new ApiReply(response.statusCode(), response.body());
                });
    }

    private HttpResponse<InputStream> stream(HttpRequest r) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        }
        if (response.statusCode() >= FIRST_ERROR_STATUS) {
            try (InputStream in = response.body()) {
                throw ApiException.fromResponse(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return response;
    }

    /** Turns a transport failure into one readable reason. */
    public ServerUnreachableException unreachable(Throwable failure) {
        String reason;
        if (failure instanceof HttpConnectTimeoutException) {
            reason = "connection timed out";
        } else if (failure instanceof HttpTimeoutException) {
            reason = "no answer within " + requestTimeout.toSeconds() + "s";
        } else if (failure instanceof ConnectException) {
            reason = failure.getMessage() == null || failure.getMessage().isBlank() ? "connection refused" : failure.getMessage();
        } else if (failure instanceof InterruptedException) {
            reason = "interrupted";
        } else {
            reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        }
        return new ServerUnreachableException(server, reason, failure);
    }

    private static String write(JsonNode body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.entrySet().stream()
                .map(e -> segment(e.getKey()) + "=" + segment(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }
}
