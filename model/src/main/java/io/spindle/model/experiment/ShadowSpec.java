package io.spindle.model.experiment;

import io.spindle.model.gate.Gate;

/**
 * Makes an experiment a rolling one, fed by an alias's shadow: its sources are live jobs of {@code alias} mirrored as
 * they are submitted (none at creation), its one candidate arm is the shadow, and after new scores it evaluates
 * {@code gate} (the definition as it was when the shadow started) on the shadow against the live outputs; a failing
 * verdict stops the experiment and the alias's shadow.
 */
public record ShadowSpec(String alias, Gate gate, int percent) {}
