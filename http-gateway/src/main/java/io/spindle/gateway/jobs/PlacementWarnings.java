package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.node.directory.HostingDirectory;
import io.spindle.node.metrics.SpindleMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warnings of a job view. One so far, {@value #WAITING_FOR_PLACEMENT}: the job is queued for a config that no
 * live node hosts (the {@link HostingDirectory} as this node sees it), so nothing will run it until a node hosting
 * the config joins or starts hosting it. The job is accepted all the same: a GPU node may be restarting. Each job
 * created so is counted in {@value #METRIC} (per config) on the node that took the submit.
 */
public final class PlacementWarnings {
    /** The job JSON field listing the warnings; absent when there are none. */
    public static final String FIELD = "warnings";
    public static final String WAITING_FOR_PLACEMENT = "waiting_for_placement";
    /** Counter (Prometheus {@code _total}) of jobs created while no live node hosted their config. */
    public static final String METRIC = "spindle_jobs_waiting_for_placement";
    private static final Logger log = LoggerFactory.getLogger(PlacementWarnings.class);

    private final Supplier<CompletionStage<Set<String>>> hostedConfigIds;
    private final SpindleMetrics metrics;

    public PlacementWarnings(Supplier<CompletionStage<Set<String>>> hostedConfigIds, SpindleMetrics metrics) {
        this.hostedConfigIds = hostedConfigIds;
        this.metrics = metrics;
    }

    /** Warnings from the cluster's hosting directory, counted in the system's metrics. */
    public static PlacementWarnings of(ActorSystem<?> system) {
        return new PlacementWarnings(() -> HostingDirectory.get(system).nodesByConfig().thenApply(Map::keySet),
                SpindleMetrics.get(system));
    }

    /** The warnings of {@code job} now; none when the directory cannot be read (a warning is no reason to fail). */
    public CompletionStage<List<String>> of(Job job) {
        if (job.status() != JobStatus.QUEUED) {
            return CompletableFuture.completedFuture(List.of()); // only a queued job waits for a placement
        }
        return hostedConfigIds.get().handle((hosted, failure) -> {
            if (failure != null) {
                log.debug("hosting directory not read, job {} shown without warnings: {}", job.id(), failure.toString());
                return List.of();
            }
            return hosted.contains(job.configId()) ? List.<String>of() : List.of(WAITING_FOR_PLACEMENT);
        });
    }

    /** The warnings of a job this node just created; one waiting for placement is counted. */
    public CompletionStage<List<String>> ofCreated(Job job) {
        return of(job).thenApply(warnings -> {
            if (warnings.contains(WAITING_FOR_PLACEMENT)) {
                Counter.builder(METRIC).description("Jobs created while no live node hosted their config")
                        .tag("config", job.configId()).register(metrics.registry()).increment();
                log.info("job {} config {} is queued, but no live node hosts the config: it waits for one", job.id(), job.configId());
            }
            return warnings;
        });
    }

    /** The job's JSON, with {@value #FIELD} when there are warnings. */
    public static ObjectNode view(Job job, List<String> warnings) {
        ObjectNode body = GatewayJson.mapper().valueToTree(job);
        if (!warnings.isEmpty()) {
            ArrayNode list = body.putArray(FIELD);
            warnings.forEach(list::add);
        }
        return body;
    }
}
