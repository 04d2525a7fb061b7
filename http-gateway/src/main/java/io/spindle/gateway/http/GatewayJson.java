package io.spindle.gateway.http;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.spindle.model.json.Json;
import io.spindle.model.validation.ValidationException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/**
 * JSON of the API: Spindle's one mapping ({@link Json}: snake_case, ISO instants, unknown fields
 * refused), made strict about types for requests — no coercion of "5" to 5, 5 to "5", 5.5 to 5 or
 * "true" to true, and no nulls inside arrays and maps — so a client's type mistake is reported,
 * never silently reinterpreted; a key given twice in one object is refused, never "last one wins". Responses are written exactly as {@link Json#mapper()} writes them.
 */
public final class GatewayJson {
    private static final ObjectMapper MAPPER = strict(Json.newMapper());

    private GatewayJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Binds a parsed request body (or part of one) to {@code type}.
     *
     * @throws ValidationException naming each field Jackson refused (see {@link JsonProblems})
     */
    public static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ValidationException(List.of(JsonProblems.fieldError(e)));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("body", e.getMessage());
        }
    }

    /** Parses request bytes into a tree; @throws ValidationException naming where the JSON is malformed. */
    public static JsonNode parse(byte[] body) {
        return parse(MAPPER.reader(), body);
    }

    /** A reader of request bodies that enforces {@code limits} while parsing (see {@link JsonLimits#parserConstraints}). */
    public static ObjectReader reader(JsonLimits limits) {
        return MAPPER.reader().with(MAPPER.getFactory().copy().setStreamReadConstraints(limits.parserConstraints()));
    }

    /** Parses request bytes with {@code reader}; @throws ValidationException naming where the JSON is malformed. */
    public static JsonNode parse(ObjectReader reader, byte[] body) {
        JsonParser parser = null;
        try {
            parser = reader.createParser(body);
            JsonNode tree = reader.readTree(parser);
            if (tree == null || tree.isMissingNode()) {
                throw new ValidationException("body", "is required: a JSON object");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            // Thrown without the parser, which still stands where the limit was hit.
            throw new ValidationException(List.of(JsonProblems.limitExceeded(parser, e)));
        } catch (JsonProcessingException e) {
            throw new ValidationException(List.of(JsonProblems.fieldError(e)));
        } catch (java.io.IOException e) {
            throw new ValidationException("body", "cannot be read: " + e.getMessage());
        } finally {
            closeQuietly(parser);
        }
    }

    private static void closeQuietly(JsonParser parser) {
        if (parser != null) {
            try {
                parser.close();
            } catch (java.io.IOException e) {
                // reading from a byte array: nothing to release
            }
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A JSON response with {@code body} written by the API's mapping. */
    public static HttpResponse response(StatusCode status, Object body) {
        return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, bytes(body));
    }

    public static HttpResponse response(StatusCode status, Object body, List<HttpHeader> headers) {
        return response(status, body).addHeaders(headers);
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Map)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        // A null inside labels or job_types is a mistake to report, not a value the records could hold.
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        return mapper;
    }
}
