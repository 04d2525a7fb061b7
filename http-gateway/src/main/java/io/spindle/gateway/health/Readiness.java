package io.spindle.gateway.health;

import java.util.Map;

/** Body of {@code GET /ready} when every backend answered: backend name → {@code ok}. */
public record Readiness(String status, Map<String, String> checks) {}
