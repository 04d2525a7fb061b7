package io.spindle.node.memory;

/**
 * Caps the direct buffers the JDK keeps per thread for I/O on heap buffers (the MongoDB driver's sockets, the embedded
 * store's file): by default each thread keeps one as large as the largest write it ever did, about 25 MB in all after
 * a burst. Larger writes still work, with a buffer freed after use. The JDK reads the cap once, at its first socket or
 * file-channel I/O, so a launcher calls {@link #cap()} first thing in {@code main}; {@code -Djdk.nio.maxCachedBufferSize}
 * on the command line wins.
 */
public final class TemporaryDirectBuffers {
    static final String PROPERTY = "jdk.nio.maxCachedBufferSize";
    /** Covers the usual command, journal batch and page write; a 1,000-event replay page is larger and not kept. */
    static final long MAX_CACHED_BYTES = 128 * 1024;

    private TemporaryDirectBuffers() {}

    public static void cap() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Long.toString(MAX_CACHED_BYTES));
        }
    }
}
