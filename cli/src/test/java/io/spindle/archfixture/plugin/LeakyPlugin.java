package io.spindle.archfixture.plugin;

import io.spindle.archfixture.domain.DomainThing;

/** Fixture for PackageRulesTest: a "generic" plugin class that imports the domain. */
public final class LeakyPlugin {
    public String store(DomainThing thing) {
        return thing.id();
    }
}
