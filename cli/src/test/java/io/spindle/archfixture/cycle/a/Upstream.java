package io.spindle.archfixture.cycle.a;

import io.spindle.archfixture.cycle.b.Downstream;

/** Fixture for PackageRulesTest: half of a deliberate package cycle (a → b → a). */
public final class Upstream {
    public Downstream next() {
        return new Downstream();
    }
}
