package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;

import io.spindle.model.validation.Violations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Strict reading of a request's query parameters: an unknown or repeated parameter, or a value of
 * the wrong form, is collected as a violation naming the parameter; {@link #throwIfAny()} then
 * refuses the request with all of them at once.
 */
public final class QueryParams {
    private final Map<String, List<String>> raw;
    private final Violations violations = new Violations();

    private QueryParams(Map<String, List<String>> raw, Set<String> allowed) {
        this.raw = raw;
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(raw).entrySet()) {
            if (!allowed.contains(e.getKey())) {
                violations.add(e.getKey(), allowed.isEmpty() ? "unknown query parameter; this endpoint takes none"
                        : "unknown query parameter; known ones are " + new TreeSet<>(allowed));
            } else if (e.getValue().size() > 1) {
                violations.add(e.getKey(), "given " + e.getValue().size() + " times; give it once");
            }
        }
    }

    public static QueryParams of(Map<String, List<String>> raw, Set<String> allowed) {
        return new QueryParams(raw, allowed);
    }

    /** A route for an endpoint that takes no query parameters: any given is refused, naming it. */
    public static Route none(Supplier<Route> inner) {
        return parameterMultiMap(raw -> {
            of(raw, Set.of()).throwIfAny();
            return inner.get();
        });
    }

    /** The parameter's value; an empty value counts as absent. */
    public Optional<String> string(String name) {
        List<String> values = raw.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }

    public Optional<Integer> integer(String name, int min, int max) {
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                violations.add(name, "must be between " + min + " and " + max + ", was " + n);
                return Optional.empty();
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            violations.add(name, "must be an integer between " + min + " and " + max + ", was '" + value.get() + "'");
            return Optional.empty();
        }
    }

    public Optional<Instant> instant(String name) {
        Optional<String> value = string(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.get()));
        } catch (DateTimeParseException e) {
            violations.add(name, "must be an ISO-8601 instant such as 2026-11-28T10:00:00Z, was '" + value.get() + "'");
            return Optional.empty();
        }
    }

    /** Records a problem with a parameter found by the caller. */
    public void invalid(String name, String problem) {
        violations.add(name, problem);
    }

    /** @throws io.spindle.model.validation.ValidationException naming every invalid parameter */
    public void throwIfAny() {
        violations.throwIfAny();
    }
}
