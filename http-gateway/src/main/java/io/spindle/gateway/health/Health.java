package io.spindle.gateway.health;

/** Body of {@code GET /health}. */
public record Health(String status) {
    public static final Health OK = new Health("ok");
}
