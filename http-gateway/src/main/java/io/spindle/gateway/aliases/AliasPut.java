package io.spindle.gateway.aliases;

/**
 * Body of {@code PUT /aliases/{name}}: creates the alias on a config, at {@code version} or (null) the config's latest.
 * {@code actor} says who did it (the API has one token, not users: the caller names itself; default {@code "api"}).
 */
public record AliasPut(String configId, Integer version, String actor, String reason) {}
