package io.spindle.archfixture.cycle.b;

import io.spindle.archfixture.cycle.a.Upstream;

/** Fixture for PackageRulesTest: the other half of a deliberate package cycle (b → a). */
public final class Downstream {
    public Upstream back() {
        return new Upstream();
    }
}
