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
 *
 * <p>Numbers are the exception to plain BSON: they are written big-endian with the sign flipped (doubles with
 * negatives inverted), so that the keys of one number type sort as the numbers do. The journal's documents are
 * keyed by a growing ordering, so each commit appends to the last pages of its map instead of rewriting a page
 * per event all over it; files written before are re-keyed once ({@link SortableKeysUpgrade}).
 */
final class BsonBytes {
    /** Room for a typical stored document before the buffer grows. */
    private static final int DOCUMENT_CAPACITY = 512;
    /** Room for a typical key (an id or a "pid|seq" string). */
    private static final int KEY_CAPACITY = 64;

    private static final byte DOUBLE = 0x01;
    private static final byte INT32 = 0x10;
    private static final byte INT64 = 0x12;

    private BsonBytes() {
    }

    /** A double's bits, big-endian, in an order that is the numbers' order: negatives inverted, the sign flipped. */
    private static long sortableBits(double value) {
        long bits = Double.doubleToRawLongBits(value);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    private static long bitsOfSortable(long sortable) {
        return sortable < 0 ? sortable ^ Long.MIN_VALUE : ~sortable;
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

    /** The key of values already normalized (as an index hands them over): type byte and value, in turn. */
    static String key(KeyValue normalized) {
        ByteBuf buffer = Unpooled.buffer(KEY_CAPACITY);
        for (Object value : normalized) {
            byte type = BsonEncoder.determineType(value);
            buffer.writeByte(type);
            switch (type) {
                case DOUBLE -> buffer.writeLong(sortableBits((Double) value));
                case INT32 -> buffer.writeInt((Integer) value ^ Integer.MIN_VALUE);
                case INT64 -> buffer.writeLong((Long) value ^ Long.MIN_VALUE);
                default -> BsonEncoder.encodeValue(type, value, buffer);
            }
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
            byte type = buffer.readByte();
            values.add(switch (type) {
                case DOUBLE -> Double.longBitsToDouble(bitsOfSortable(buffer.readLong()));
                case INT32 -> buffer.readInt() ^ Integer.MIN_VALUE;
                case INT64 -> buffer.readLong() ^ Long.MIN_VALUE;
                default -> BsonDecoder.decodeValue(type, buffer);
            });
        }
        return new KeyValue(values);
    }
}
