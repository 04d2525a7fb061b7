package io.spindle.node.dev;

import org.h2.mvstore.MVMap;

/**
 * A collection's documents, each change to them also appended to the store's {@link WriteAheadLog}. The caller
 * makes the changes of one map one at a time (a collection's writes are synchronized), so the log holds them in
 * the order they were made.
 */
final class LoggedDocuments {
    private final MVMap<String, byte[]> map;
    private final WriteAheadLog log;
    private final int mapId;

    LoggedDocuments(MVMap<String, byte[]> map, WriteAheadLog log) {
        this.map = map;
        this.log = log;
        this.mapId = map.getId();
    }

    /** The documents by key, to read; change them through this class only. */
    MVMap<String, byte[]> map() {
        return map;
    }

    /** Stores {@code document} under {@code key} unless a document is stored there; answers whether it was stored. */
    boolean putIfAbsent(String key, byte[] document) {
        if (map.putIfAbsent(key, document) != null) {
            return false;
        }
        log.append(WalRecord.put(mapId, key, document));
        return true;
    }

    void put(String key, byte[] document) {
        map.put(key, document);
        log.append(WalRecord.put(mapId, key, document));
    }

    /** Removes the document under {@code key}; answers whether there was one. */
    boolean remove(String key) {
        if (map.remove(key) == null) {
            return false;
        }
        log.append(WalRecord.remove(mapId, key));
        return true;
    }
}
