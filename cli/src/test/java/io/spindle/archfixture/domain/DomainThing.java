package io.spindle.archfixture.domain;

/** Fixture for PackageRulesTest: a domain type a plugin must not use. */
public record DomainThing(String id) {}
