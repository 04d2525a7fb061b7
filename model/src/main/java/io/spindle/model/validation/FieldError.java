package io.spindle.model.validation;

/** One thing wrong with one field of a request: {@code field} is the snake_case JSON path. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
