package io.spindle.gateway.experiments;

import java.util.List;

/** The answer of {@code POST /experiments?dry_run=true}: what creating it would select and run, creating nothing. */
public record ExperimentPlanView(String id, int sources, List<String> arms, int repetitions, List<String> scorers, int plannedJobs,
                                 int maxJobs, boolean withinBudget) {}
