package io.spindle.model.error;

import io.spindle.model.validation.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed refusal or failure: the body of every API error ({@code {"error": {...}}}) and every
 * rejection a JobEntity replies with.
 */
public record SpindleError(ErrorCode code, String message, Map<String, Object> details) {

    public SpindleError {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static SpindleError of(ErrorCode code, String message) {
        return new SpindleError(code, message, Map.of());
    }

    public static SpindleError of(ErrorCode code, String message, Map<String, Object> details) {
        return new SpindleError(code, message, details);
    }

    /** A validation failure whose details map each invalid field to what is wrong with it. */
    public static SpindleError validation(List<FieldError> errors) {
        Map<String, Object> fields = new LinkedHashMap<>();
        errors.forEach(e -> fields.put(e.field(), e.message()));
        String message = errors.size() == 1
                ? errors.get(0).toString()
                : errors.size() + " invalid fields: " + String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new SpindleError(ErrorCode.VALIDATION_FAILED, message, Map.of("fields", fields));
    }
}
