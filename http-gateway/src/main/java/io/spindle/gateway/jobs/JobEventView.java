package io.spindle.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.gateway.http.GatewayJson;
import io.spindle.model.job.JobEvent;
import java.time.Instant;
import org.apache.pekko.persistence.query.EventEnvelope;

/** One journaled transition of a job as the API shows it: position, stable type name, time and fields. */
public record JobEventView(long seqNr, String type, Instant at, ObjectNode payload) {
    /** The property in which a job event's JSON carries its type name. */
    private static final String TYPE_PROPERTY = "event";

    public static JobEventView of(EventEnvelope envelope) {
        Object event = envelope.event();
        JsonNode tree = GatewayJson.mapper().valueToTree(event);
        ObjectNode payload = tree.isObject() ? (ObjectNode) tree : GatewayJson.mapper().createObjectNode().set("value", tree);
        JsonNode typeName = payload.remove(TYPE_PROPERTY);
        String type = typeName != null && typeName.isTextual() ? typeName.asText() : event.getClass().getSimpleName();
        Instant at = event instanceof JobEvent e ? e.at() : Instant.ofEpochMilli(envelope.timestamp());
        return new JobEventView(envelope.sequenceNr(), type, at, payload);
    }

    /** True for the events after which a job has nothing more to do unless a person acts. */
    public static boolean isTerminal(Object event) {
        return event instanceof JobEvent.Succeeded || event instanceof JobEvent.Failed
                || event instanceof JobEvent.Canceled || event instanceof JobEvent.DeadLettered;
    }
}
