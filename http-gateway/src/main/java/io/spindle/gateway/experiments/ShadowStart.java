package io.spindle.gateway.experiments;

import io.spindle.model.experiment.Budget;
import io.spindle.model.experiment.Scorer;
import java.util.List;

/**
 * Body of {@code POST /aliases/{name}/shadow}: mirror {@code percent} (1–100) of the alias's live jobs to the config
 * version {@code config_id}/{@code version} (default its latest), score both outputs with {@code scorers}, and stop
 * when {@code gate} fails; {@code budget.max_jobs} bounds the shadow's jobs in all.
 */
public record ShadowStart(String configId, Integer version, Integer percent, String gate, List<Scorer> scorers, Budget budget,
                          String actor, String reason) {}
