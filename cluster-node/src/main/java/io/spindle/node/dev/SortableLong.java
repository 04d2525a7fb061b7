package io.spindle.node.dev;

import java.util.HexFormat;

/**
 * A 64-bit integer as a fixed-width string whose order is the numbers' order: the sign bit flipped, then 16
 * lowercase hex digits. An index entry carries it so that the entries of one key value sort by it.
 */
final class SortableLong {
    static final int LENGTH = 16;
    private static final HexFormat HEX = HexFormat.of();

    private SortableLong() {
    }

    static String encode(long value) {
        return HEX.toHexDigits(value ^ Long.MIN_VALUE);
    }

    static long decode(String encoded) {
        return HexFormat.fromHexDigitsToLong(encoded) ^ Long.MIN_VALUE;
    }
}
