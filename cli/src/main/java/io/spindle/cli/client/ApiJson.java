package io.spindle.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.spindle.model.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's JSON mapping ({@link Json}) made tolerant for reading answers: a newer server may add fields
 * this client does not know, which must not break it.
 */
public final class ApiJson {
    private static final ObjectMapper READER = Json.newMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ApiJson() {}

    public static ObjectMapper mapper() {
        return READER;
    }

    public static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiFormatException("the server answered something that is not JSON: " + e.getOriginalMessage());
        }
    }

    public static <T> T read(String body, Class<T> type) {
        return convert(parse(body), type);
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return READER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiFormatException("the server's answer is not a " + type.getSimpleName() + ": "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    /** The elements of the array {@code field} of an answer such as {@code {"jobs": [...]}}, read as {@code type}. */
    public static <T> List<T> list(JsonNode answer, String field, Class<T> type) {
        JsonNode array = answer.path(field);
        if (!array.isArray()) {
            throw new ApiFormatException("the server's answer has no '" + field + "' array");
        }
        List<T> out = new ArrayList<>(array.size());
        array.forEach(item -> out.add(convert(item, type)));
        return out;
    }

    /** Compact JSON of a tree, for one-line renderings. */
    public static String compact(JsonNode node) {
        try {
            return READER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
