package io.spindle.gateway.artifacts;

import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.gateway.http.QueryParams;
import io.spindle.gateway.jobs.JobEntities;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.job.JobIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** Artifacts: a job's artifacts, one artifact with its lineage (parents and children), and its bytes (streamed, ranged). */
public final class ArtifactRoutes {
    /** At most this many children in {@code GET /artifacts/{id}}: enough to show lineage, bounded for a popular parent. */
    static final int MAX_CHILDREN = 100;

    private final ArtifactCatalog catalog;
    private final JobEntities entities;
    private final ArtifactBytes bytes;

    public ArtifactRoutes(ArtifactCatalog catalog, ArtifactStore artifacts, JobEntities entities, SpindleMetrics metrics) {
        this.catalog = catalog;
        this.entities = entities;
        this.bytes = new ArtifactBytes(artifacts, metrics);
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/jobs/{id}/artifacts", p -> ofJob(p.get("id"))),
                Endpoint.get("/artifacts/{id}", p -> artifact(p.get("id"))),
                Endpoint.get("/artifacts/{id}/bytes", p -> bytes(p.get("id"))));
    }

    private Route ofJob(String jobId) {
        return QueryParams.none(() -> {
            if (!JobIds.isWellFormed(jobId)) {
                return ApiErrors.reply(JobEntities.notFound(jobId));
            }
            return respond(catalog.artifactsOfJob(jobId).thenCompose(artifacts -> {
                if (!artifacts.isEmpty()) {
                    return CompletableFuture.completedFuture(ok(new ArtifactList(jobId, artifacts)));
                }
                // No artifacts: tell a job that has none yet from no job at all.
                return entities.find(jobId).thenApply(job -> {
                    if (job.isEmpty()) {
                        throw new SpindleException(JobEntities.notFound(jobId));
                    }
                    return ok(new ArtifactList(jobId, artifacts));
                });
            }));
        });
    }

    private Route artifact(String id) {
        return QueryParams.none(() -> respond(find(id).thenCompose(artifact -> parents(artifact)
                .thenCombine(catalog.childrenOf(id, MAX_CHILDREN), (parents, children) -> {
                    ObjectNode view = GatewayJson.mapper().valueToTree(artifact);
                    view.set("parents", GatewayJson.mapper().valueToTree(parents));
                    view.set("children", GatewayJson.mapper().valueToTree(children));
                    return ok(view);
                }))));
    }

    private Route bytes(String id) {
        return QueryParams.none(() -> extractRequest(request ->
                respond(find(id).<HttpResponse>thenCompose(artifact -> bytes.serve(artifact, request)))));
    }

    private CompletionStage<Artifact> find(String id) {
        return catalog.artifact(id).thenApply(found -> found.orElseThrow(() -> new SpindleException(
                SpindleError.of(ErrorCode.ARTIFACT_NOT_FOUND, "no artifact " + id, Map.of("artifact_id", id)))));
    }

    /** The parents' metadata, in parent_ids order, skipping any the catalog no longer has. */
    private CompletionStage<List<Artifact>> parents(Artifact artifact) {
        List<CompletableFuture<Optional<Artifact>>> lookups = artifact.parentIds().stream()
                .map(id -> catalog.artifact(id).toCompletableFuture()).toList();
        return CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> lookups.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }
}
