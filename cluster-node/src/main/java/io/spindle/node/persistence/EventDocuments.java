package io.spindle.node.persistence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.serialization.Serialization;
import org.bson.Document;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The BSON shape of the journal: one document per AtomicWrite, so a persistAll is stored (and
 * becomes visible) all at once.
 *
 * <pre>
 * { _id: 41,                   the global ordering of the first event (unique by construction)
 *   ordTo: 42,                 the ordering of the last event
 *   pid, fromSeq, toSeq,
 *   keys: ["pid|1", "pid|2"],  unique multikey index: no sequence nr of a persistence id twice
 *   writtenAt,                 when the orderings were allocated (tag queries use it for gaps)
 *   events: [{ seq, ord, serId, serManifest, payload, tags, writer, ts, manifest?, meta? }] }
 * </pre>
 *
 * <p>A filler ({@link #filler}) covers orderings of a reserved block that no event took: {@code _id},
 * {@code ordTo}, {@code writtenAt}, one key of its own and no events.
 *
 * <p>{@code serId, serManifest, payload} are the event as Pekko serialized it (see
 * {@link SerializedPayload}); {@code meta: {serId, serManifest, payload}} is the PersistentRepr's
 * metadata, present only when it has some.
 *
 * The embedded Mongo-wire server only maintains unique indexes, answers equality and {@code $in}
 * lookups on them without scanning (any range query scans the collection), and pays for every
 * index entry on insert. So there are exactly two: {@code _id} for lookups by ordering and
 * {@code keys} for lookups by persistence id and sequence nr; every read path uses one of them.
 */
final class EventDocuments {
    static final String PID = "pid";
    static final String FROM_SEQ = "fromSeq";
    static final String TO_SEQ = "toSeq";
    static final String ID = "_id";
    static final String ORD_TO = "ordTo";
    static final String KEYS = "keys";
    static final String WRITTEN_AT = "writtenAt";
    static final String EVENTS = "events";

    static final String SEQ = "seq";
    static final String ORD = "ord";
    static final String TAGS = "tags";
    static final String WRITER = "writer";
    static final String TIMESTAMP = "ts";
    /** The event adapter manifest of the PersistentRepr, stored only when not empty. */
    static final String ADAPTER_MANIFEST = "manifest";

    private static final char KEY_SEPARATOR = '|';

    private final Serialization serialization;
    private final long maxDocumentBytes;

    EventDocuments(Serialization serialization, long maxDocumentBytes) {
        this.serialization = serialization;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /** The unique key of one event. The sequence nr is numeric, so the last separator splits it. */
    static String key(String persistenceId, long sequenceNr) {
        return persistenceId + KEY_SEPARATOR + sequenceNr;
    }

    /** One AtomicWrite serialized into its document; orderings are assigned when it is flushed. */
    record EncodedWrite(String persistenceId, Document document, int events, long bytes) {
    }

    /**
     * Serializes an AtomicWrite. Throws when an event has no serializer (or its serializer fails) or
     * the write is too large: the caller rejects that AtomicWrite alone.
     */
    EncodedWrite encode(AtomicWrite write, long now) throws Exception {
        List<PersistentRepr> reprs = CollectionConverters.asJava(write.payload());
        List<String> keys = new ArrayList<>(reprs.size());
        List<Document> events = new ArrayList<>(reprs.size());
        long bytes = 0;
        for (PersistentRepr repr : reprs) {
            Object payload = repr.payload();
            Set<String> tags = Set.of();
            if (payload instanceof Tagged tagged) {
                tags = new LinkedHashSet<>(CollectionConverters.asJava(tagged.tags()));
                payload = tagged.payload();
            }
            SerializedPayload serialized = SerializedPayload.of(serialization, payload);
            Optional<SerializedPayload> metadata = SerializedPayload.ofMetadata(serialization, repr.metadata());
            bytes += serialized.size() + metadata.map(SerializedPayload::size).orElse(0);
            Document event = serialized.appendTo(new Document(SEQ, repr.sequenceNr()))
                    .append(TAGS, new ArrayList<>(tags))
                    .append(WRITER, repr.writerUuid())
                    .append(TIMESTAMP, repr.timestamp() == 0 ? now : repr.timestamp());
            if (!repr.manifest().isEmpty()) {
                event.append(ADAPTER_MANIFEST, repr.manifest());
            }
            metadata.ifPresent(serializedMetadata -> event.append(SerializedPayload.METADATA, serializedMetadata.toDocument()));
            events.add(event);
            keys.add(key(repr.persistenceId(), repr.sequenceNr()));
        }
        if (bytes > maxDocumentBytes) {
            throw new IllegalArgumentException("AtomicWrite of " + write.persistenceId() + " seq "
                    + write.lowestSequenceNr() + ".." + write.highestSequenceNr() + " is " + bytes
                    + " bytes, above max-document-bytes " + maxDocumentBytes);
        }
        Document document = new Document(PID, write.persistenceId())
                .append(FROM_SEQ, write.lowestSequenceNr())
                .append(TO_SEQ, write.highestSequenceNr())
                .append(KEYS, keys)
                .append(EVENTS, events);
        return new EncodedWrite(write.persistenceId(), document, events.size(), bytes);
    }

    /** Gives the events of a document consecutive orderings from {@code first}; returns the next free one. */
    static long assignOrderings(Document document, long first, long writtenAt) {
        long ord = first;
        for (Document event : events(document)) {
            event.put(ORD, ord);
            ord++;
        }
        document.put(ID, first);
        document.put(ORD_TO, ord - 1);
        document.put(WRITTEN_AT, writtenAt);
        return ord;
    }

    /**
     * A document without events over orderings [from, to] that no event will take (the rest of an ordering
     * block given up, see {@link OrderingBlocks}): tag queries move over it instead of waiting at a gap. Its
     * key ends in a word, never in a sequence nr, so it cannot collide with an event's key.
     */
    static Document filler(long from, long to, long writtenAt) {
        return new Document(ID, from)
                .append(ORD_TO, to)
                .append(KEYS, List.of(String.valueOf(from) + KEY_SEPARATOR + "released"))
                .append(WRITTEN_AT, writtenAt)
                .append(EVENTS, List.of());
    }

    static List<Document> events(Document document) {
        return document.getList(EVENTS, Document.class, List.of());
    }

    static long firstOrdering(Document document) {
        return longField(document, ID);
    }

    /** Deleted events leave their orderings behind: the range stays [first, last] after a trim. */
    static long lastOrdering(Document document) {
        return longField(document, ORD_TO);
    }

    static long longField(Document document, String field) {
        Object value = document.get(field);
        return value instanceof Number number ? number.longValue() : 0L;
    }

    static List<String> tags(Document event) {
        return event.getList(TAGS, String.class, List.of());
    }

    /** Deserializes an event's payload; throws when its serializer is unknown or fails. */
    Object payload(Document event) {
        return SerializedPayload.from(event).deserialize(serialization);
    }

    /** Deserializes an event's metadata; none when it was stored without. */
    Option<Object> metadata(Document event) {
        return SerializedPayload.metadataOf(event, serialization);
    }

    PersistentRepr toRepr(String persistenceId, Document event) {
        String adapterManifest = event.getString(ADAPTER_MANIFEST);
        PersistentRepr repr = PersistentRepr.apply(
                        payload(event),
                        longField(event, SEQ),
                        persistenceId,
                        adapterManifest == null ? PersistentRepr.Undefined() : adapterManifest,
                        false,
                        null,
                        event.getString(WRITER))
                .withTimestamp(longField(event, TIMESTAMP));
        Option<Object> metadata = metadata(event);
        return metadata.isDefined() ? repr.withMetadata(metadata.get()) : repr;
    }

    /** The read journal's envelope of an event, its offset being the event's global ordering. */
    EventEnvelope toEnvelope(String persistenceId, Document event) {
        return new EventEnvelope(Offset.sequence(longField(event, ORD)), persistenceId, longField(event, SEQ),
                payload(event), longField(event, TIMESTAMP), metadata(event));
    }
}
