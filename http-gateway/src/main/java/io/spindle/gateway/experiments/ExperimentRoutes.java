package io.spindle.gateway.experiments;

import static io.spindle.gateway.http.Replies.created;
import static io.spindle.gateway.http.Replies.ok;
import static io.spindle.gateway.http.Replies.respond;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;

import io.spindle.gateway.aliases.PromotionJudge;
import io.spindle.gateway.http.Endpoint;
import io.spindle.gateway.http.QueryParams;
import io.spindle.gateway.http.RequestBodies;
import io.spindle.gateway.journal.TaggedEntities;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.PromotionEvidence;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.experiment.ArmConfig;
import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ExperimentEvent;
import io.spindle.model.experiment.ExperimentReports;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.Scorer;
import io.spindle.model.gate.Gate;
import io.spindle.model.gate.GateResult;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.validation.ConfigIds;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.experiment.ExperimentEntity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Experiments and gates: list experiments, create one (or, with {@code ?dry_run=true}, say what it would run), read
 * it, its report and every arm's outputs side by side, add scorers, save and read gates, and evaluate a gate on an
 * experiment. Creation pins every arm and scorer to a config version and freezes the selection, so the entity never
 * depends on the registry or read model.
 * Also the {@link PromotionJudge} of aliases.
 */
public final class ExperimentRoutes implements PromotionJudge {
    /** Jobs a selection reads at most from the read model. */
    public static final int MAX_SCAN = 10_000;
    private static final String DRY_RUN = "dry_run";
    private static final String REFERENCE = "reference";
    private static final String CANDIDATE = "candidate";
    private static final String LIMIT = "limit";
    /** Experiments {@code GET /experiments} lists without a limit, and at most. */
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int MAX_LIST_LIMIT = 500;

    private final ExperimentGateways entities;
    private final ConfigRegistry registry;
    private final ExperimentSelector selector;
    private final RequestBodies bodies;
    private final TaggedEntities journal;

    public ExperimentRoutes(ExperimentGateways entities, ConfigRegistry registry, JobViewStore views, RequestBodies bodies,
                            TaggedEntities journal) {
        this.entities = entities;
        this.registry = registry;
        this.selector = new ExperimentSelector(views, MAX_SCAN);
        this.bodies = bodies;
        this.journal = journal;
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.post("/experiments", p -> create()),
                Endpoint.get("/experiments", p -> list()),
                Endpoint.get("/experiments/{id}", p -> QueryParams.none(() -> respond(entities.get(p.get("id")).thenApply(e -> ok(ExperimentView.of(e)))))),
                Endpoint.get("/experiments/{id}/report", p -> QueryParams.none(() -> respond(entities.get(p.get("id"))
                        .thenApply(e -> ok(ExperimentReports.build(e)))))),
                Endpoint.get("/experiments/{id}/outputs", p -> QueryParams.none(() -> respond(entities.get(p.get("id"))
                        .thenApply(e -> ok(ExperimentOutputsView.of(e)))))),
                Endpoint.post("/experiments/{id}/rescore", p -> rescore(p.get("id"))),
                Endpoint.post("/experiments/{id}/gate/{name}", p -> evaluate(p.get("id"), p.get("name"))),
                Endpoint.post("/gates", p -> saveGate()),
                Endpoint.get("/gates/{name}", p -> QueryParams.none(() -> respond(entities.gate(p.get("name")).thenApply(g -> ok(g))))));
    }

    /** The newest {@code limit} experiments the journal holds, each read from its entity. */
    private Route list() {
        return parameterMultiMap(raw -> {
            QueryParams params = QueryParams.of(raw, Set.of(LIMIT));
            int limit = params.integer(LIMIT, 1, MAX_LIST_LIMIT).orElse(DEFAULT_LIST_LIMIT);
            params.throwIfAny();
            return respond(journal.ids(ExperimentEvent.TAG, ExperimentEntity.PERSISTENCE_ID_PREFIX,
                    event -> event instanceof ExperimentEvent.Created c ? c.at() : null)
                    .thenCompose(ids -> {
                        List<String> newest = new ArrayList<>(ids.subList(Math.max(0, ids.size() - limit), ids.size()));
                        Collections.reverse(newest);
                        List<CompletableFuture<Experiment>> each = newest.stream().map(id -> entities.get(id).toCompletableFuture()).toList();
                        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> ok(new ExperimentList(
                                each.stream().map(CompletableFuture::join).map(ExperimentList.Summary::of).toList())));
                    }));
        });
    }

    private Route create() {
        return parameterMultiMap(raw -> {
            QueryParams params = QueryParams.of(raw, Set.of(DRY_RUN));
            boolean dryRun = params.string(DRY_RUN).map(Boolean::parseBoolean).orElse(false);
            params.throwIfAny();
            return bodies.json(ExperimentSpec.class, body -> {
                ExperimentSpec spec = checked(body);
                return respond(pinned(spec).thenCompose(p -> selector.select(p.selection()).thenCompose(sources -> {
                    int planned = Experiment.plannedJobs(p, sources.size());
                    ExperimentPlanView plan = new ExperimentPlanView(p.id(), sources.size(), p.arms(), p.reps(),
                            p.scorers().stream().map(Scorer::name).toList(), planned, p.budget().jobs(), planned <= p.budget().jobs());
                    if (dryRun) {
                        return CompletableFuture.completedFuture(ok(plan));
                    }
                    if (!plan.withinBudget()) {
                        throw new ValidationException("budget.max_jobs", "the experiment would run " + planned + " jobs, more than "
                                + p.budget().jobs() + "; sample fewer sources or raise the budget");
                    }
                    if (sources.isEmpty()) {
                        throw new ValidationException("selection", "selects no jobs");
                    }
                    return entities.create(p, sources).thenApply(e -> created("/experiments/" + e.id(), ExperimentView.of(e)));
                })));
            });
        });
    }

    private static ExperimentSpec checked(ExperimentSpec body) {
        String id = body.id() == null ? "exp-" + UUID.randomUUID().toString().substring(0, 8) : body.id();
        if (ConfigIds.problem(id) != null) {
            throw new ValidationException("id", ConfigIds.problem(id));
        }
        if (body.selection() == null) {
            throw new ValidationException("selection", "is required (e.g. {\"config_id\": \"tts-espeak\"})");
        }
        if (body.selection().stratifyProblem() != null) {
            throw new ValidationException("selection.stratify", body.selection().stratifyProblem());
        }
        if (body.selection().sample() != null && body.selection().sample() < 1) {
            throw new ValidationException("selection.sample", "must be at least 1");
        }
        Set<String> names = new HashSet<>(List.of(ExperimentSpec.ORIGINAL, ExperimentSpec.BASELINE));
        for (ArmConfig c : body.candidates()) {
            if (c.name() == null || ConfigIds.problem(c.name()) != null || !names.add(c.name())) {
                throw new ValidationException("candidates", "each candidate needs a unique name (not original or baseline), got " + c.name());
            }
        }
        checkScorers(body.scorers());
        if (body.reps() < 1 || body.budget().concurrent() < 1) {
            throw new ValidationException("repetitions", "repetitions and budget.max_concurrent must be at least 1");
        }
        return new ExperimentSpec(id, body.description(), body.selection(), body.baseline(), body.candidates(), body.repetitions(),
                body.scorers(), body.budget(), body.priority(), null);
    }

    static void checkScorers(List<Scorer> scorers) {
        Set<String> names = new HashSet<>();
        for (Scorer s : scorers) {
            if (s.name() == null || !names.add(s.name()) || s.type() == null || !s.type().startsWith("eval.") || s.configId() == null
                    || s.metric() == null || s.direction() == null || s.input() == null) {
                throw new ValidationException("scorers", "each scorer needs a unique name, an eval.* type, a config_id, a metric, a "
                        + "direction (higher or lower) and an input template; got " + s);
            }
        }
    }

    /** The spec with every candidate and scorer pinned to a config version (the latest when none was given). */
    CompletionStage<ExperimentSpec> pinned(ExperimentSpec spec) {
        List<CompletableFuture<ArmConfig>> arms = spec.candidates().stream()
                .map(a -> version(a.configId(), a.version()).thenApply(v -> new ArmConfig(a.name(), a.configId(), v)).toCompletableFuture())
                .toList();
        List<CompletableFuture<Scorer>> scorers = spec.scorers().stream()
                .map(s -> version(s.configId(), s.configVersion()).thenApply(s::withConfigVersion).toCompletableFuture()).toList();
        List<CompletableFuture<?>> all = new ArrayList<>(arms);
        all.addAll(scorers);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> new ExperimentSpec(spec.id(),
                spec.description(), spec.selection(), spec.baseline(), arms.stream().map(CompletableFuture::join).toList(),
                spec.repetitions(), scorers.stream().map(CompletableFuture::join).toList(), spec.budget(), spec.priority(), spec.shadow()));
    }

    private CompletionStage<Integer> version(String configId, Integer version) {
        return registry.configVersions(configId).thenApply(versions -> {
            Optional<ModelConfig> found = version == null
                    ? versions.stream().reduce((a, b) -> b)
                    : versions.stream().filter(v -> v.version() == version).findFirst();
            return found.orElseThrow(() -> new SpindleException(SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "no config '" + configId + "'"
                    + (version == null ? "" : " version " + version), Map.of("config_id", String.valueOf(configId))))).version();
        });
    }

    private Route rescore(String id) {
        return bodies.json(RescoreRequest.class, body -> {
            List<Scorer> scorers = body.scorers() == null ? List.of() : body.scorers();
            checkScorers(scorers);
            List<CompletableFuture<Scorer>> pinned = scorers.stream()
                    .map(s -> version(s.configId(), s.configVersion()).thenApply(s::withConfigVersion).toCompletableFuture()).toList();
            return respond(CompletableFuture.allOf(pinned.toArray(CompletableFuture[]::new))
                    .thenCompose(done -> entities.rescore(id, pinned.stream().map(CompletableFuture::join).toList()))
                    .thenApply(e -> ok(ExperimentView.of(e))));
        });
    }

    private Route saveGate() {
        return bodies.json(Gate.class, gate -> {
            if (gate.name() == null || ConfigIds.problem(gate.name()) != null) {
                throw new ValidationException("name", gate.name() == null ? "is required" : ConfigIds.problem(gate.name()));
            }
            if (gate.criteria().isEmpty() || gate.minPairs() < 1) {
                throw new ValidationException("criteria", "a gate needs at least one criterion and min_pairs of at least 1");
            }
            return respond(entities.saveGate(gate).thenApply(g -> created("/gates/" + g.name(), g)));
        });
    }

    private Route evaluate(String id, String gateName) {
        return parameterMultiMap(raw -> {
            QueryParams params = QueryParams.of(raw, Set.of(REFERENCE, CANDIDATE));
            Optional<String> reference = params.string(REFERENCE);
            Optional<String> candidate = params.string(CANDIDATE);
            params.throwIfAny();
            return respond(entities.gate(gateName).thenCompose(gate -> entities.get(id).thenApply(e -> {
                String cand = candidate.orElseGet(() -> onlyCandidate(e));
                String ref = reference.orElse(defaultReference(e));
                return ok(new GateEvaluationView(id, ref, cand, e.isComplete() ? "completed" : "running", judge(e, gate, ref, cand)));
            })));
        });
    }

    @Override
    public CompletionStage<PromotionEvidence> judge(String experiment, String gateName, String candidateArm, AliasTarget target) {
        return entities.gate(gateName).thenCompose(gate -> entities.get(experiment).thenApply(e -> {
            String arm = candidateArm != null ? candidateArm : e.spec().candidates().stream()
                    .filter(c -> c.configId().equals(target.configId()) && c.version() == target.version())
                    .map(ArmConfig::name).findFirst()
                    .orElseThrow(() -> new ValidationException("candidate_arm", "experiment " + experiment + " has no arm on " + target
                            + "; name the arm"));
            return new PromotionEvidence(experiment, gateName, judge(e, gate, defaultReference(e), arm).verdict(), arm);
        }));
    }

    private static GateResult judge(Experiment e, Gate gate, String reference, String candidate) {
        for (String arm : List.of(reference, candidate)) {
            if (!e.spec().arms().contains(arm)) {
                throw new ValidationException(CANDIDATE, "experiment " + e.id() + " has no arm '" + arm + "'; its arms are " + e.spec().arms());
            }
        }
        return gate.evaluate(ExperimentReports.evidence(e, reference, candidate));
    }

    private static String defaultReference(Experiment e) {
        return e.spec().runsBaseline() ? ExperimentSpec.BASELINE : ExperimentSpec.ORIGINAL;
    }

    private static String onlyCandidate(Experiment e) {
        if (e.spec().candidates().size() != 1) {
            throw new ValidationException(CANDIDATE, "name the candidate arm: the experiment has " + e.spec().candidates().size());
        }
        return e.spec().candidates().get(0).name();
    }
}
