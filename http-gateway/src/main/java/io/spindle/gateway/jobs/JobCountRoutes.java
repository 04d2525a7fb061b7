package io.spindle.gateway.jobs;

import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;

import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobViewStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /jobs/counts}: jobs per status from the read model, for the dashboard's header. Kept apart from
 * {@link JobRoutes} because it answers from an aggregate (one indexed count per status), not from job views.
 */
public final class JobCountRoutes {
    private final JobViewStore views;

    public JobCountRoutes(JobViewStore views) {
        this.views = views;
    }

    public List<Endpoint> endpoints() {
        return List.of(Endpoint.get("/jobs/counts", p -> counts()));
    }

    private Route counts() {
        return QueryParams.none(() -> respond(views.countByStatus().thenApply(found -> {
            // Lifecycle order, and a zero for every status the store did not name.
            Map<String, Long> counts = new LinkedHashMap<>();
            long total = 0;
            for (JobStatus status : JobStatus.values()) {
                long n = found.getOrDefault(status, 0L);
                counts.put(status.wireName(), n);
                total += n;
            }
            return ok(new JobCountsView(counts, total));
        })));
    }
}
