package io.spindle.gateway;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;

import io.spindle.gateway.aliases.AliasConfigs;
import io.spindle.gateway.aliases.AliasEntities;
import io.spindle.gateway.aliases.AliasRoutes;
import io.spindle.gateway.artifacts.ArtifactRoutes;
import io.spindle.gateway.experiments.ExperimentGateways;
import io.spindle.gateway.experiments.ExperimentRoutes;
import io.spindle.gateway.experiments.ShadowMirror;
import io.spindle.gateway.experiments.ShadowRoutes;
import io.spindle.gateway.cluster.ClusterRoutes;
import io.spindle.gateway.configs.ConfigCache;
import io.spindle.gateway.configs.ConfigRoutes;
import io.spindle.gateway.health.BackendCheck;
import io.spindle.gateway.health.OperationsRoutes;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.gateway.http.BearerAuth;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.gateway.http.RequestMetrics;
import io.spindle.gateway.http.RouteTable;
import io.spindle.gateway.jobs.InputArtifactCheck;
import io.spindle.gateway.jobs.JobBatches;
import io.spindle.gateway.jobs.JobCountRoutes;
import io.spindle.gateway.jobs.JobEntities;
import io.spindle.gateway.jobs.JobEvents;
import io.spindle.gateway.jobs.JobRoutes;
import io.spindle.gateway.jobs.JobSubmitter;
import io.spindle.gateway.jobs.PlacementWarnings;
import io.spindle.gateway.jobs.SubmitAdmission;
import io.spindle.gateway.journal.TaggedEntities;
import io.spindle.gateway.ui.DashboardRoutes;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.InputSettings;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.readmodel.ProjectionFailures;
import io.spindle.node.stream.StreamRuns;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The whole API as one route: the {@link RouteTable} of every feature's endpoints, wrapped (outside
 * in) by request metrics, a JSON answer for Pekko's request timeout, the error handlers that give
 * every failure and rejection the one error shape, and bearer-token authentication. The dashboard's static
 * files ({@link DashboardRoutes}, under {@code /ui}) come first, outside the table: they hold no data.
 */
public final class GatewayRoutes {
    private final RouteTable table;
    private final BearerAuth auth;
    private final RequestMetrics metrics;

    public GatewayRoutes(ActorSystem<?> system, JobViewStore jobViews, ConfigRegistry registry, ArtifactCatalog artifactCatalog,
                         ArtifactStore artifactStore, List<BackendCheck> checks, GatewaySettings settings) {
        RequestBodies bodies = new RequestBodies(settings.maxBodyBytes(), settings.bodyReadTimeout(), settings.bodyStallTimeout(), settings.json(),
                StreamRuns.get(system).materializer(StreamRuns.Site.HTTP));
        ConfigCache configs = new ConfigCache(registry, settings.configCacheTtl());
        SpindleMetrics spindleMetrics = SpindleMetrics.get(system);
        SubmitAdmission admission = new SubmitAdmission(settings.admission(), spindleMetrics);
        JobEntities entities = new JobEntities(system, settings.askTimeout(), admission);
        InputArtifactCheck inputArtifacts = new InputArtifactCheck(artifactCatalog,
                InputSettings.fromConfig(system.settings().config()).maxReferences());
        AliasEntities aliases = new AliasEntities(system, settings.askTimeout());
        PlacementWarnings placement = PlacementWarnings.of(system);
        ExperimentGateways experimentEntities = new ExperimentGateways(system, settings.askTimeout());
        JobSubmitter submitter = new JobSubmitter(configs, entities, admission, settings.json(), inputArtifacts,
                new AliasConfigs(aliases, registry, new ShadowMirror(experimentEntities)), placement);
        TaggedEntities journal = new TaggedEntities(system, settings.readJournalPluginId());
        ExperimentRoutes experiments = new ExperimentRoutes(experimentEntities, registry, jobViews, bodies, journal);

        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.addAll(new OperationsRoutes(spindleMetrics, checks, settings.readyTimeout(), ProjectionFailures.get(system)).endpoints());
        endpoints.addAll(new ConfigRoutes(registry, configs, bodies, Clock.systemUTC()).endpoints());
        endpoints.addAll(new JobRoutes(jobViews, submitter, new JobBatches(submitter, configs, settings.batchMaxJobs()), entities,
                new JobEvents(system, settings.readJournalPluginId(), settings.sseKeepAlive()), bodies, placement).endpoints());
        endpoints.addAll(new AliasRoutes(aliases, registry, experiments, bodies, journal).endpoints());
        endpoints.addAll(experiments.endpoints());
        endpoints.addAll(new ShadowRoutes(aliases, experimentEntities, experiments, bodies).endpoints());
        endpoints.addAll(new JobCountRoutes(jobViews, Clock.systemUTC()).endpoints());
        endpoints.addAll(new ArtifactRoutes(artifactCatalog, artifactStore, entities, spindleMetrics).endpoints());
        endpoints.addAll(new ClusterRoutes(system).endpoints());
        this.table = new RouteTable(endpoints);
        this.auth = new BearerAuth(settings.apiToken());
        this.metrics = new RequestMetrics(spindleMetrics);
    }

    /** Every endpoint the API serves. */
    public RouteTable table() {
        return table;
    }

    /**
     * Each layer is built once here: a directive calls its inner route's supplier on every request, so suppliers
     * that built the next layer (and the error handlers) would build the whole chain again per request.
     */
    public Route route() {
        Route endpoints = table.route();
        Route authenticated = auth.protect(table, () -> endpoints);
        RejectionHandler rejections = ApiErrors.rejectionHandler();
        Route rejectionsAnswered = handleRejections(rejections, () -> authenticated);
        ExceptionHandler exceptions = ApiErrors.exceptionHandler();
        Route failuresAnswered = handleExceptions(exceptions, () -> rejectionsAnswered);
        Route timeoutAnswered = withRequestTimeoutResponse(request -> ApiErrors.response(SpindleError.of(ErrorCode.TIMEOUT,
                "no response within pekko.http.server.request-timeout; try again")), () -> failuresAnswered);
        return concat(new DashboardRoutes().route(), metrics.measure(table, () -> timeoutAnswered));
    }
}
