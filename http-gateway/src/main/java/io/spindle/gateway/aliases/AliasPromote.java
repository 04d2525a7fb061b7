package io.spindle.gateway.aliases;

/**
 * Body of {@code POST /aliases/{name}/promote}: the new target (config, version or the latest), the experiment and
 * gate that justify it (the gate is evaluated now, on the experiment's report, for {@code candidate_arm}: default the
 * arm that ran this config), or {@code force} to move it anyway (recorded as forced), and who and why.
 */
public record AliasPromote(String configId, Integer version, String experiment, String gate, String candidateArm, Boolean force,
                           String actor, String reason) {}
