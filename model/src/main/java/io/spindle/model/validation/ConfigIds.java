package io.spindle.model.validation;

import java.util.regex.Pattern;

/**
 * The rule for ModelConfig ids. It lives here, not beside {@code ModelConfig}, because jobs name their config
 * by id too: both the config and the job packages check ids without depending on each other.
 */
public final class ConfigIds {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,62}");

    private ConfigIds() {}

    /** Why {@code id} is not a config id, or null when it is one. */
    public static String problem(String id) {
        if (id == null || id.isBlank()) {
            return "is required";
        }
        if (!ID.matcher(id).matches()) {
            return "'" + id + "' must be 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
        }
        return null;
    }
}
