package io.spindle.node.persistence;

import java.util.Optional;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.bson.Document;
import org.bson.types.Binary;
import scala.Option;

/**
 * A value as Pekko serialization stores it: serializer id, manifest and bytes. Events, snapshots
 * and their metadata all go through here, so the plugin serializes in exactly one way.
 *
 * <p>Both directions run with Pekko's transport information set ({@link Serialization#serialize}
 * and {@link Serialization#deserialize(byte[], int, String)} set it, as in Pekko's own plugins): a
 * serializer needs it to write an {@code ActorRef} inside the value as a path and to resolve that
 * path again; calling {@code Serializer.toBinary} directly fails on any value holding a ref.
 */
record SerializedPayload(int serializerId, String manifest, byte[] bytes) {
    static final String SERIALIZER_ID = "serId";
    static final String SERIALIZER_MANIFEST = "serManifest";
    static final String PAYLOAD = "payload";
    /**
     * The sub-document holding the optional metadata of an event or a snapshot. Absent when there
     * is none, so documents without metadata keep the shape they had before metadata was stored.
     */
    static final String METADATA = "meta";

    /** Throws when no serializer is bound to the value's class or the serializer fails. */
    static SerializedPayload of(Serialization serialization, Object value) {
        Serializer serializer = serialization.findSerializerFor(value);
        byte[] bytes = serialization.serialize(value).get();
        return new SerializedPayload(serializer.identifier(), Serializers.manifestFor(serializer, value), bytes);
    }

    /** Serializes the metadata of a PersistentRepr or a SnapshotMetadata, when it has some. */
    static Optional<SerializedPayload> ofMetadata(Serialization serialization, Option<Object> metadata) {
        return metadata.isDefined() ? Optional.of(of(serialization, metadata.get())) : Optional.empty();
    }

    /** Reads the fields written by {@link #appendTo}. */
    static SerializedPayload from(Document document) {
        String manifest = document.getString(SERIALIZER_MANIFEST);
        return new SerializedPayload(document.getInteger(SERIALIZER_ID), manifest == null ? "" : manifest,
                document.get(PAYLOAD, Binary.class).getData());
    }

    /** Deserializes the metadata stored in a document; none when it has no {@value #METADATA} field. */
    static Option<Object> metadataOf(Document document, Serialization serialization) {
        Document metadata = document.get(METADATA, Document.class);
        return metadata == null ? Option.empty() : Option.apply(from(metadata).deserialize(serialization));
    }

    Document appendTo(Document document) {
        return document.append(SERIALIZER_ID, serializerId)
                .append(SERIALIZER_MANIFEST, manifest)
                .append(PAYLOAD, new Binary(bytes));
    }

    Document toDocument() {
        return appendTo(new Document());
    }

    int size() {
        return bytes.length;
    }

    /** Throws when the serializer is unknown here or fails. */
    Object deserialize(Serialization serialization) {
        return serialization.deserialize(bytes, serializerId, manifest).get();
    }
}
