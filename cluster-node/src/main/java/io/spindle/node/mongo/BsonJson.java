package io.spindle.node.mongo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Converts between Jackson trees (the {@code Json} mapping of the domain) and BSON, keeping number
 * kinds apart (int ↔ Int32, long ↔ Int64, double ↔ Double, big numbers ↔ Decimal128) so a view read
 * back equals the view written, down to the nodes of free-form JSON such as job inputs and outputs.
 */
public final class BsonJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BsonJson() {}

    public static BsonDocument toDocument(ObjectNode node) {
        BsonDocument doc = new BsonDocument();
        node.properties().forEach(field -> doc.put(field.getKey(), toBson(field.getValue())));
        return doc;
    }

    public static BsonValue toBson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return BsonNull.VALUE;
        }
        if (node.isObject()) {
            return toDocument((ObjectNode) node);
        }
        if (node.isArray()) {
            BsonArray array = new BsonArray();
            node.forEach(item -> array.add(toBson(item)));
            return array;
        }
        if (node.isTextual()) {
            return new BsonString(node.textValue());
        }
        if (node.isBoolean()) {
            return BsonBoolean.valueOf(node.booleanValue());
        }
        if (node.isInt() || node.isShort()) {
            return new BsonInt32(node.intValue());
        }
        if (node.isLong()) {
            return new BsonInt64(node.longValue());
        }
        if (node.isBigInteger()) {
            return decimal(new BigDecimal(node.bigIntegerValue()), node);
        }
        if (node.isBigDecimal()) {
            return decimal(node.decimalValue(), node);
        }
        if (node.isNumber()) {
            return new BsonDouble(node.doubleValue());
        }
        if (node.isBinary()) {
            return new BsonBinary(binary(node));
        }
        return new BsonString(node.asText());
    }

    public static ObjectNode toObjectNode(BsonDocument doc) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<String, BsonValue> field : doc.entrySet()) {
            node.set(field.getKey(), toJson(field.getValue()));
        }
        return node;
    }

    public static JsonNode toJson(BsonValue value) {
        switch (value.getBsonType()) {
            case DOCUMENT:
                return toObjectNode(value.asDocument());
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                value.asArray().forEach(item -> array.add(toJson(item)));
                return array;
            case STRING:
                return NODES.textNode(value.asString().getValue());
            case BOOLEAN:
                return NODES.booleanNode(value.asBoolean().getValue());
            case INT32:
                return NODES.numberNode(value.asInt32().getValue());
            case INT64:
                return NODES.numberNode(value.asInt64().getValue());
            case DOUBLE:
                return NODES.numberNode(value.asDouble().getValue());
            case DECIMAL128:
                BigDecimal d = value.asDecimal128().getValue().bigDecimalValue();
                // Parsed JSON only yields big integers (floats parse as doubles), so an integral decimal was one.
                return d.scale() <= 0 ? NODES.numberNode(d.toBigIntegerExact()) : NODES.numberNode(d);
            case NULL:
                return NODES.nullNode();
            case BINARY:
                return NODES.binaryNode(value.asBinary().getData());
            case DATE_TIME:
                return NODES.numberNode(value.asDateTime().getValue());
            case OBJECT_ID:
                return NODES.textNode(value.asObjectId().getValue().toHexString());
            default:
                return NODES.textNode(value.toString());
        }
    }

    private static BsonValue decimal(BigDecimal value, JsonNode node) {
        try {
            return new BsonDecimal128(new Decimal128(value));
        } catch (NumberFormatException | ArithmeticException e) {
            // Beyond Decimal128's 34 digits: a double is the closest BSON can hold.
            return new BsonDouble(node.doubleValue());
        }
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("binary node without bytes", e);
        }
    }
}
