package io.spindle.gateway.jobs;

import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;

import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobViewStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /jobs/counts}: jobs per status from the read model, for the dashboard's header. Kept apart from
 * {@link JobRoutes} because it answers from an aggregate (one indexed count per status), not from job views.
 * Every open dashboard asks every two seconds, so one count serves all requests for {@link #FRESH_FOR}: the
 * store counts at most once a second however many dashboards are open (the embedded store has no index
 * and scans).
 */
public final class JobCountRoutes {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    private record Counted(Instant at, CompletionStage<Map<JobStatus, Long>> counts) {}

    private final JobViewStore views;
    private final Clock clock;
    private final AtomicReference<Counted> last = new AtomicReference<>();

    public JobCountRoutes(JobViewStore views, Clock clock) {
        this.views = views;
        this.clock = clock;
    }

    public List<Endpoint> endpoints() {
        return List.of(Endpoint.get("/jobs/counts", p -> counts()));
    }

    private Route counts() {
        return QueryParams.none(() -> respond(fresh().thenApply(found -> {
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

    /** The last count while it is fresh and did not fail; else a new one (two racing requests may both count). */
    private CompletionStage<Map<JobStatus, Long>> fresh() {
        Instant now = clock.instant();
        Counted seen = last.get();
        if (seen != null && now.isBefore(seen.at().plus(FRESH_FOR)) && !seen.counts().toCompletableFuture().isCompletedExceptionally()) {
            return seen.counts();
        }
        Counted counting = new Counted(now, views.countByStatus());
        last.set(counting);
        return counting.counts();
    }
}
