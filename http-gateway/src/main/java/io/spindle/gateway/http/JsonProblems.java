package io.spindle.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what Jackson refuses into a {@link FieldError} naming the field as the client wrote it:
 * a snake_case JSON path such as {@code priority}, {@code labels.team} or {@code job_types[1]}
 * ({@code body} for the document as a whole), and what was expected there.
 */
public final class JsonProblems {
    public static final String BODY = "body";

    private JsonProblems() {}

    public static FieldError fieldError(JsonProcessingException e) {
        if (e instanceof InputCoercionException range) {
            // Well-formed, but a number too large for its field: name the field whose value it is.
            return new FieldError(parsePath(range.getProcessor(), true), "is out of range: " + firstLine(e.getOriginalMessage()));
        }
        if (e instanceof StreamReadException parse && isDuplicateKey(parse)) {
            // Raised on the second occurrence of the key, before the parser moved onto it: name it explicitly.
            return new FieldError(parsePath(parse.getProcessor(), true), "is given twice in one object; each key may appear once ("
                    + firstLine(e.getOriginalMessage()) + location(e) + ")");
        }
        if (e instanceof StreamReadException parse) {
            return new FieldError(parsePath(parse.getProcessor(), false), "malformed JSON: " + firstLine(e.getOriginalMessage()) + location(e));
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return new FieldError(BODY, firstLine(e.getOriginalMessage()));
        }
        String field = path(mapping.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FieldError(field, "unknown field; known fields are " + known(unknown.getKnownPropertyIds()));
        }
        if (e instanceof InvalidNullException) {
            return new FieldError(field, "must not be null");
        }
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof ValidationException ve && !ve.errors().isEmpty()) {
            return ve.errors().get(0);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (field.equals(BODY) && mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().contains("end-of-input")) {
                return new FieldError(BODY, "is required: a JSON object");
            }
            return new FieldError(field, "must be " + expected(mismatch.getTargetType()));
        }
        return new FieldError(field, firstLine(e.getOriginalMessage()));
    }

    /**
     * A parsing limit ({@link com.fasterxml.jackson.core.StreamReadConstraints}) hit while {@code parser} read
     * the body: names the value being read, e.g. the object nested one level too deep.
     */
    public static FieldError limitExceeded(JsonParser parser, StreamConstraintsException e) {
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Document nesting depth")) {
            int max = parser == null ? -1 : parser.streamReadConstraints().getMaxNestingDepth();
            return new FieldError(parsePath(parser, true), "nests too deep: a request body nests at most " + max
                    + " levels of objects and arrays");
        }
        return new FieldError(parsePath(parser, true), "exceeds a parsing limit: " + message);
    }

    private static boolean isDuplicateKey(StreamReadException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
    }

    /** {@code a.b[2].c}, or {@code body} for an empty path. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? BODY : out.toString();
    }

    /**
     * Where the parser was: the containers it was inside, plus the field whose value it was reading
     * (when the error came right after that field's name, or {@code inValue}; between entries the
     * object is named).
     */
    private static String parsePath(JsonParser parser, boolean inValue) {
        if (parser == null) {
            return BODY;
        }
        List<String> parts = new ArrayList<>();
        boolean innermost = true;
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            boolean named = inValue || !innermost || parser.currentToken() == JsonToken.FIELD_NAME;
            if (c.inObject() && c.getCurrentName() != null && named) {
                parts.add("." + c.getCurrentName());
            } else if (c.inArray() && !innermost) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
            innermost = false;
        }
        Collections.reverse(parts);
        String joined = String.join("", parts);
        return joined.isEmpty() ? BODY : joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type) || com.fasterxml.jackson.databind.node.ObjectNode.class.isAssignableFrom(type)) {
            return "a JSON object";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray() || com.fasterxml.jackson.databind.node.ArrayNode.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        return "a JSON object";
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "[]" : Set.copyOf(ids).stream().map(String::valueOf).sorted().toList().toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
