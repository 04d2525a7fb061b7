package io.spindle.model.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.spindle.model.validation.ValidationException;
import java.util.List;
import java.util.regex.Pattern;

/** A job type {@code namespace.name}, e.g. {@code image.generate}; the namespace says what kind of work it is. */
public record JobType(String namespace, String name) {
    public static final List<String> NAMESPACES = List.of("text", "image", "video", "audio", "cpu", "external", "eval");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_\\-]{0,62}");

    public JobType {
        String problem = problem(namespace + "." + name);
        if (problem != null) {
            throw new ValidationException("type", problem);
        }
    }

    // DELEGATING: with the ParameterNamesModule (Pekko's Jackson serializer) a one-argument creator is otherwise ambiguous.
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static JobType parse(String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new ValidationException("type", problem);
        }
        int dot = value.indexOf('.');
        return new JobType(value.substring(0, dot), value.substring(dot + 1));
    }

    /** Why {@code value} is not a job type, or null when it is one. */
    public static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "is required (namespace.name, namespace one of " + NAMESPACES + ")";
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            return "'" + value + "' must be namespace.name, namespace one of " + NAMESPACES;
        }
        String ns = value.substring(0, dot);
        String name = value.substring(dot + 1);
        if (!NAMESPACES.contains(ns)) {
            return "namespace '" + ns + "' is not one of " + NAMESPACES;
        }
        if (!NAME.matcher(name).matches()) {
            return "name '" + name + "' must be lowercase letters, digits, '_' or '-', starting with a letter, at most 63 characters";
        }
        return null;
    }

    /** True when {@code pattern} (a type, {@code ns.*} or {@code *}) covers this type. */
    public boolean matches(String pattern) {
        return pattern.equals("*") || pattern.equals(toString()) || pattern.equals(namespace + ".*");
    }

    @JsonValue
    @Override
    public String toString() {
        return namespace + "." + name;
    }
}
