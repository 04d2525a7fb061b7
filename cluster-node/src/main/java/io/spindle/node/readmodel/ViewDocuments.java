package io.spindle.node.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import io.spindle.model.json.Json;
import java.time.Instant;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;

/**
 * The MongoDB shape of the read model: each view is its {@link Json} (snake_case) form, plus
 * {@code _id} and, where views are ordered by time, {@code created_ns} — the creation instant as
 * nanoseconds since the epoch, because ISO-8601 strings of varying precision do not sort by time.
 */
final class ViewDocuments {
    static final String ID = "_id";
    static final String CREATED_NS = "created_ns";
    static final String REVISION = "revision";
    static final String STATUS = "status";
    static final String TYPE = "type";
    static final String CONFIG_ID = "config_id";
    static final String JOB_ID = "job_id";
    static final String CONFIG_KEY = "id";
    static final String VERSION = "version";
    static final String IS_ACTIVE = "is_active";
    static final String OFFSET = "offset";

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ViewDocuments() {}

    static BsonDocument job(Job job) {
        BsonDocument doc = withId(job.id(), MAPPER.valueToTree(job));
        // Typed explicitly: the revision guard and the time order compare these as 64-bit numbers.
        doc.put(REVISION, new BsonInt64(job.revision()));
        doc.put(CREATED_NS, new BsonInt64(sortKey(job.createdAt())));
        return doc;
    }

    static Job job(BsonDocument doc) {
        return read(doc, Job.class, CREATED_NS);
    }

    static BsonDocument config(ModelConfig config) {
        return withId(config.id(), MAPPER.valueToTree(config));
    }

    /** A config version carries no {@code _id} of its own: it is keyed by the unique (id, version) index. */
    static BsonDocument configVersion(ModelConfig config) {
        return BsonJson.toDocument(MAPPER.valueToTree(config));
    }

    static ModelConfig config(BsonDocument doc) {
        return read(doc, ModelConfig.class);
    }

    static BsonDocument artifact(Artifact artifact) {
        BsonDocument doc = withId(artifact.id(), MAPPER.valueToTree(artifact));
        doc.put(CREATED_NS, new BsonInt64(sortKey(artifact.createdAt())));
        return doc;
    }

    static Artifact artifact(BsonDocument doc) {
        return read(doc, Artifact.class, CREATED_NS);
    }

    /**
     * Nanoseconds since the epoch, saturated: exact for 1677–2262, and query bounds beyond that
     * (e.g. {@code until=9999-12-31}) still compare the right way.
     */
    static long sortKey(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return seconds * NANOS_PER_SECOND + at.getNano();
    }

    private static BsonDocument withId(String id, ObjectNode json) {
        BsonDocument doc = new BsonDocument(ID, new BsonString(id));
        doc.putAll(BsonJson.toDocument(json));
        return doc;
    }

    private static <T> T read(BsonDocument doc, Class<T> type, String... derivedFields) {
        ObjectNode json = BsonJson.toObjectNode(doc);
        json.remove(ID);
        for (String field : derivedFields) {
            json.remove(field);
        }
        try {
            return MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " " + doc.get(ID) + " does not map back: "
                    + e.getMessage(), e);
        }
    }
}
