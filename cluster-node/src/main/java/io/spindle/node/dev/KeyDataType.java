package io.spindle.node.dev;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.StringDataType;

/**
 * How the store's maps persist {@link BsonBytes#key keys}: strings whose chars are bytes, written as those bytes.
 * H2's string type writes UTF-8 char by char, which was half the time of serializing pages at a commit; it
 * still compares and searches them.
 */
final class KeyDataType extends StringDataType {
    static final KeyDataType INSTANCE = new KeyDataType();

    private KeyDataType() {
    }

    @Override
    public void write(WriteBuffer buffer, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
        buffer.putVarInt(bytes.length).put(bytes);
    }

    @Override
    public String read(ByteBuffer buffer) {
        byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
