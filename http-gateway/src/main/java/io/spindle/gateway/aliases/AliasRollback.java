package io.spindle.gateway.aliases;

/** Body of {@code POST /aliases/{name}/rollback} (optional): who and why. */
public record AliasRollback(String actor, String reason) {}
