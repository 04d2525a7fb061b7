package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Optional bearer-token authentication: with a token configured, every endpoint that is not open
 * requires {@code Authorization: Bearer <token>}, else 401. Tokens are compared as SHA-256 digests
 * with {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the token's
 * length or how much of it matches.
 */
public final class BearerAuth {
    private static final String SCHEME = "bearer";
    private final byte[] expected;

    /** @param token the API token; null or empty disables authentication */
    public BearerAuth(String token) {
        this.expected = token == null || token.isEmpty() ? null : sha256(token);
    }

    public boolean enabled() {
        return expected != null;
    }

    public Route protect(RouteTable table, Supplier<Route> inner) {
        if (!enabled()) {
            return inner.get();
        }
        return extractRequest(request -> {
            boolean open = table.find(request).map(m -> m.endpoint().open()).orElse(false);
            if (open || accepts(request)) {
                return inner.get();
            }
            String problem = request.getHeader("Authorization").isPresent()
                    ? "the bearer token is not valid" : "this endpoint requires an Authorization: Bearer <token> header";
            return complete(ApiErrors.unauthorized(problem));
        });
    }

    boolean accepts(HttpRequest request) {
        Optional<HttpHeader> header = request.getHeader("Authorization");
        if (header.isEmpty()) {
            return false;
        }
        String value = header.get().value().trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(value.substring(space + 1).trim()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
