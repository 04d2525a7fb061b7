package io.spindle.node.dev;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One change to a collection's documents as the {@link WriteAheadLog} holds it: a document stored under a key
 * (the whole document, so replaying it twice or over a later commit ends the same) or a key removed, in the map
 * of the given MVStore id. On disk: the body's length, its CRC-32C, the body (kind, map id, key, document).
 */
record WalRecord(byte kind, int mapId, String key, byte[] document) {
    static final byte PUT = 1;
    static final byte REMOVE = 2;
    /** Length and checksum before each body. */
    static final int HEADER_BYTES = 2 * Integer.BYTES;

    static WalRecord put(int mapId, String key, byte[] document) {
        return new WalRecord(PUT, mapId, key, document);
    }

    static WalRecord remove(int mapId, String key) {
        return new WalRecord(REMOVE, mapId, key, null);
    }

    /** The bytes {@link #writeTo} appends. */
    static int size(String key, byte[] document) {
        return HEADER_BYTES + 1 + Integer.BYTES + Integer.BYTES + key.length()
                + (document == null ? 0 : Integer.BYTES + document.length);
    }

    /** Appends header and body to {@code out}, which has room for {@link #size} bytes. */
    void writeTo(ByteBuffer out) {
        // Keys are strings whose chars are bytes (BsonBytes.key), so ISO-8859-1 gives those bytes back.
        byte[] keyBytes = key.getBytes(StandardCharsets.ISO_8859_1);
        int start = out.position();
        out.position(start + HEADER_BYTES);
        out.put(kind).putInt(mapId).putInt(keyBytes.length).put(keyBytes);
        if (document != null) {
            out.putInt(document.length).put(document);
        }
        int bodyLength = out.position() - start - HEADER_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(out.slice(start + HEADER_BYTES, bodyLength));
        out.putInt(start, bodyLength).putInt(start + Integer.BYTES, (int) crc.getValue());
    }

    /**
     * The record at {@code in}'s position, moving past it; null where the log ends or was cut short (a write torn by
     * a crash): a body longer than what is left, a checksum that does not match, or a body that does not parse.
     */
    static WalRecord readFrom(ByteBuffer in) {
        if (in.remaining() < HEADER_BYTES) {
            return null;
        }
        int bodyLength = in.getInt();
        int checksum = in.getInt();
        if (bodyLength <= 0 || bodyLength > in.remaining()) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(in.slice(in.position(), bodyLength));
        if ((int) crc.getValue() != checksum) {
            return null;
        }
        ByteBuffer body = in.slice(in.position(), bodyLength);
        in.position(in.position() + bodyLength);
        try {
            byte kind = body.get();
            int mapId = body.getInt();
            byte[] key = new byte[body.getInt()];
            body.get(key);
            String text = new String(key, StandardCharsets.ISO_8859_1);
            if (kind == REMOVE && !body.hasRemaining()) {
                return remove(mapId, text);
            }
            if (kind == PUT) {
                byte[] document = new byte[body.getInt()];
                body.get(document);
                if (!body.hasRemaining()) {
                    return put(mapId, text, document);
                }
            }
            return null;
        } catch (RuntimeException unparsable) {
            return null;
        }
    }
}
