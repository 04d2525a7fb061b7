package io.spindle.node.mongo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.json.Json;
import java.time.Instant;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * The MongoDB shape of Spindle's records (job views, configs, artifacts): each is its {@link Json} (snake_case)
 * form, plus {@code _id} and, where records are ordered by time, {@code created_ns} — the creation instant as
 * nanoseconds since the epoch, because ISO-8601 strings of varying precision do not sort by time.
 */
public final class JsonDocuments {
    public static final String ID = "_id";
    public static final String CREATED_NS = "created_ns";

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private JsonDocuments() {}

    /** The record's JSON form as a document, without an {@code _id}. */
    public static BsonDocument of(Object record) {
        return BsonJson.toDocument(MAPPER.valueToTree(record));
    }

    /** The record's JSON form keyed by {@code id}. */
    public static BsonDocument withId(String id, Object record) {
        BsonDocument doc = new BsonDocument(ID, new BsonString(id));
        doc.putAll(of(record));
        return doc;
    }

    /** As {@link #withId}, plus {@code created_ns} of {@code createdAt} for time-ordered queries. */
    public static BsonDocument withIdAndTime(String id, Object record, Instant createdAt) {
        BsonDocument doc = withId(id, record);
        doc.put(CREATED_NS, new BsonInt64(sortKey(createdAt)));
        return doc;
    }

    /** The record a document holds; {@code _id} and {@code created_ns} are derived, not part of it. */
    public static <T> T read(BsonDocument doc, Class<T> type) {
        ObjectNode json = BsonJson.toObjectNode(doc);
        json.remove(ID);
        json.remove(CREATED_NS);
        try {
            return MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " " + doc.get(ID) + " does not map back: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Nanoseconds since the epoch, saturated: exact for 1677–2262, and query bounds beyond that
     * (e.g. {@code until=9999-12-31}) still compare the right way.
     */
    public static long sortKey(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return seconds * NANOS_PER_SECOND + at.getNano();
    }
}
