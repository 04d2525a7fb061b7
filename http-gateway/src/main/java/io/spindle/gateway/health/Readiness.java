package io.spindle.gateway.health;

import java.util.Map;

/**
 * Body of {@code GET /ready} when every backend answered: backend name → {@code ok}, and {@code notes} (null
 * when none) on what the node works around, e.g. {@code projection}: job views it had to skip.
 */
public record Readiness(String status, Map<String, String> checks, Map<String, String> notes) {}
