package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.model.job.Job;
import io.spindle.model.store.JobViewStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@code GET /jobs/{id}}: the entity's read-your-writes view, with its {@link PlacementWarnings}; when the entity does not answer in time (its node is
 * unreachable and not yet downed, docs/decisions/0012-availability-under-node-loss.md) the read model's view,
 * marked {@code "stale": true} and with the {@value #STALE_HEADER} header, since it may lag the journal.
 */
public final class JobReads {
    /** Set (to {@code true}) on a job answered from the read model instead of its entity. */
    public static final String STALE_HEADER = "Spindle-Stale";
    /** The job JSON field that says the same. */
    public static final String STALE_FIELD = "stale";

    private final JobEntities entities;
    private final JobViewStore views;
    private final PlacementWarnings placement;

    public JobReads(JobEntities entities, JobViewStore views, PlacementWarnings placement) {
        this.entities = entities;
        this.views = views;
        this.placement = placement;
    }

    /** The job's response: from its entity, or stale from the read model when the entity timed out and a view exists. */
    public CompletionStage<HttpResponse> get(String id) {
        return entities.get(id).thenCompose(job -> placement.of(job)
                        .<HttpResponse>thenApply(warnings -> GatewayJson.response(StatusCodes.OK, PlacementWarnings.view(job, warnings))))
                .exceptionallyCompose(failure -> {
                    if (!(ApiErrors.unwrap(failure) instanceof TimeoutException)) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    return views.job(id).thenCompose(view -> view.isPresent()
                            ? stale(view.get())
                            : CompletableFuture.failedFuture(failure));
                });
    }

    private CompletionStage<HttpResponse> stale(Job view) {
        return placement.of(view).thenApply(warnings -> {
            ObjectNode body = PlacementWarnings.view(view, warnings);
            body.put(STALE_FIELD, true);
            return GatewayJson.response(StatusCodes.OK, body, List.of(RawHeader.create(STALE_HEADER, "true")));
        });
    }
}
