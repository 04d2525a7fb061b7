package io.spindle.gateway.experiments;

import io.spindle.model.experiment.Scorer;
import java.util.List;

/** Body of {@code POST /experiments/{id}/rescore}: scorers to add over the outputs already recorded. */
public record RescoreRequest(List<Scorer> scorers) {}
