package io.spindle.gateway.jobs;

import static io.spindle.gateway.http.Replies.created;
import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;

import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.gateway.http.QueryParams;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.JobSpec;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.job.JobIds;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Jobs: submit (one or a batch), read (read-your-writes from the entity; the read model's view, marked stale, when
 * the entity cannot answer; both with their {@link PlacementWarnings}), query (read model), cancel,
 * requeue, and the event history (JSON or live SSE).
 */
public final class JobRoutes {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final String EVENT_STREAM = "text/event-stream";

    private final JobViewStore views;
    private final JobSubmitter submitter;
    private final JobBatches batches;
    private final JobEntities entities;
    private final JobEvents events;
    private final RequestBodies bodies;
    private final JobReads reads;

    public JobRoutes(JobViewStore views, JobSubmitter submitter, JobBatches batches, JobEntities entities, JobEvents events,
                     RequestBodies bodies, PlacementWarnings placement) {
        this.views = views;
        this.submitter = submitter;
        this.batches = batches;
        this.entities = entities;
        this.events = events;
        this.bodies = bodies;
        this.reads = new JobReads(entities, views, placement);
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/jobs", p -> list()),
                Endpoint.post("/jobs", p -> submit()),
                Endpoint.post("/jobs/batch", p -> batch()),
                Endpoint.get("/jobs/{id}", p -> get(p.get("id"))),
                Endpoint.post("/jobs/{id}/cancel", p -> cancel(p.get("id"))),
                Endpoint.post("/jobs/{id}/requeue", p -> requeue(p.get("id"))),
                Endpoint.get("/jobs/{id}/events", p -> events(p.get("id"))));
    }

    private Route list() {
        return parameterMultiMap(raw -> respond(views.queryJobs(JobQueryParams.parse(raw))
                .thenApply(page -> ok(new JobPageView(page.jobs(), page.nextCursor())))));
    }

    private Route submit() {
        return QueryParams.none(() -> optionalHeaderValueByName(IDEMPOTENCY_KEY, header -> bodies.json(JobSpec.class, parsed -> {
            JobSpec spec = withHeaderKey(parsed, header);
            return respond(submitter.submit(spec).thenApply(s -> {
                String location = "/jobs/" + s.job().id();
                Object body = PlacementWarnings.view(s.job(), s.warnings());
                HttpResponse response = s.created() ? created(location, body) : ok(body).addHeader(Location.create(location));
                // The key to repeat this submit with (the client's, or the one the gateway made for it).
                String key = s.job().idempotencyKey();
                return key == null ? response : response.addHeader(RawHeader.create(IDEMPOTENCY_KEY, key));
            }));
        })));
    }

    private Route batch() {
        return QueryParams.none(() -> optionalHeaderValueByName(IDEMPOTENCY_KEY, header -> {
            if (header.isPresent()) {
                return ApiErrors.reply(SpindleError.of(ErrorCode.INVALID_REQUEST,
                        "the " + IDEMPOTENCY_KEY + " header applies to POST /jobs; give each item of a batch its idempotency_key"));
            }
            return bodies.json(tree -> respond(batches.submit(tree).thenApply(result -> ok(result))));
        }));
    }

    private Route get(String id) {
        return QueryParams.none(() -> respond(reads.get(id)));
    }

    private Route cancel(String id) {
        return QueryParams.none(() -> bodies.optionalJson(CancelRequest.class, body ->
                respond(entities.cancel(id, body.map(CancelRequest::reason).orElse(null)).thenApply(job -> ok(job)))));
    }

    private Route requeue(String id) {
        return QueryParams.none(() -> respond(entities.requeue(id).thenApply(job -> ok(job))));
    }

    private Route events(String id) {
        return QueryParams.none(() -> optionalHeaderValueByName("Accept", accept -> {
            if (accept.isPresent() && accept.get().contains(EVENT_STREAM)) {
                return optionalHeaderValueByName(LAST_EVENT_ID, lastId -> {
                    long after = lastEventId(lastId);
                    return onSuccess(entities.get(id), job -> completeOK(events.stream(job, after), EventStreamMarshalling.toEventStream()));
                });
            }
            if (!JobIds.isWellFormed(id)) {
                return ApiErrors.reply(JobEntities.notFound(id));
            }
            return respond(events.history(id).<HttpResponse>thenApply(list -> {
                if (list.isEmpty()) {
                    throw new SpindleException(JobEntities.notFound(id));
                }
                return GatewayJson.response(StatusCodes.OK, new JobEventList(id, list));
            }));
        }));
    }

    /** The spec with the header's idempotency key; a key given both ways must be the same. */
    private static JobSpec withHeaderKey(JobSpec spec, Optional<String> header) {
        if (header.isEmpty()) {
            return spec;
        }
        String key = header.get().trim();
        if (spec.idempotencyKey() != null && !spec.idempotencyKey().equals(key)) {
            throw new ValidationException("idempotency_key", "differs from the " + IDEMPOTENCY_KEY
                    + " header; give the key once, or the same key in both");
        }
        return spec.withIdempotencyKey(key);
    }

    private static long lastEventId(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return 0L;
        }
        try {
            long seqNr = Long.parseLong(header.get().trim());
            if (seqNr >= 0) {
                return seqNr;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException(LAST_EVENT_ID, "must be the id (seq_nr) of an event received before, was '" + header.get() + "'");
    }
}
