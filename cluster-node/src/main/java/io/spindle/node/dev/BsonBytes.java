package io.spindle.node.dev;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How the embedded store writes documents and keys: a document as its BSON bytes (the wire format, so storing
 * and loading cost one encode or decode, no Java serialization), and a key as the BSON of its normalized
 * values (numbers as doubles, as the server compares them), carried in a string so that the store's maps
 * compare, hash and persist keys with the JDK's string code. Equal normalized values give equal keys.
 */
final class BsonBytes {
    /** Room for a typical stored document before the buffer grows. */
    private static final int DOCUMENT_CAPACITY = 512;
    /** Room for a typical key (an id or a "pid|seq" string). */
    private static final int KEY_CAPACITY = 64;

    private BsonBytes() {
    }

    static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer(DOCUMENT_CAPACITY);
        BsonEncoder.encodeDocument(document, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }

    static Document decode(byte[] bytes) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }

    /** The key of values already normalized (as an index hands them over): type byte and BSON value, in turn. */
    static String key(KeyValue normalized) {
        ByteBuf buffer = Unpooled.buffer(KEY_CAPACITY);
        for (Object value : normalized) {
            byte type = BsonEncoder.determineType(value);
            buffer.writeByte(type);
            BsonEncoder.encodeValue(type, value, buffer);
        }
        // ISO-8859-1 maps each byte to one char and back, so the string holds the bytes unchanged.
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    /** The key of one value, normalized first: the id {@code 7} and {@code 7L} get the same key. */
    static String key(Object value) {
        return key(new KeyValue(value).normalized());
    }

    /** A value as the server compares it: numbers as doubles where that is exact, missing as null. */
    static Object normalized(Object value) {
        return new KeyValue(value).normalized().iterator().next();
    }

    /** The values a {@link #key(KeyValue)} was made of (normalized). */
    static KeyValue values(String key) {
        ByteBuf buffer = Unpooled.wrappedBuffer(key.getBytes(StandardCharsets.ISO_8859_1));
        List<Object> values = new ArrayList<>();
        while (buffer.isReadable()) {
            values.add(BsonDecoder.decodeValue(buffer.readByte(), buffer));
        }
        return new KeyValue(values);
    }
}
