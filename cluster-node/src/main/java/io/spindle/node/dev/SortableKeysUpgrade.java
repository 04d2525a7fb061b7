package io.spindle.node.dev;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-keys, once and in place, the documents of a file written before {@link BsonBytes#key keys} held numbers in
 * their order (they held a number's BSON bytes, little-endian, so the journal's consecutive orderings landed all
 * over its map and each commit rewrote a page per event). Documents are copied under their new keys into maps of
 * their own; a committed mark then says the copy is complete, and only after it are the old maps replaced, so a
 * crash at any point loses nothing: before the mark the copy starts over, after it the replacing goes on. Every
 * index is dropped, and the databases rebuild them from the documents when they open, as for any empty index.
 *
 * <p>Runs before {@link LegacyH2Format}, which writes new keys: a file gets its format mark before anything writes
 * a key in the new form.
 */
final class SortableKeysUpgrade {
    private static final Logger log = LoggerFactory.getLogger(SortableKeysUpgrade.class);
    private static final String FORMAT_MAP = "spindle.format";
    private static final String KEYS = "keys";
    private static final String SORTABLE_NUMBERS = "sortable-numbers";
    private static final String COPIED = "keys-copied";
    private static final String COPIES = "bson.rekeyed.";

    private SortableKeysUpgrade() {
    }

    static void upgrade(MVStore store) {
        MVMap<String, String> format = StoreMaps.marks(store, FORMAT_MAP);
        if (SORTABLE_NUMBERS.equals(format.get(KEYS))) {
            return;
        }
        if (!format.containsKey(COPIED)) {
            List<String> namespaces = StoreMaps.namespaces(store);
            if (!namespaces.isEmpty()) {
                log.info("Re-keying the documents of {} so that numbers sort in order", store.getFileStore().getFileName());
            }
            copies(store).forEach(namespace -> store.removeMap(COPIES + namespace));
            long copied = 0;
            for (String namespace : namespaces) {
                copied += copy(store, namespace);
            }
            format.put(COPIED, Long.toString(copied));
            store.commit();
        }
        for (String namespace : copies(store)) {
            StoreMaps.remove(store, StoreMaps.documentsName(namespace));
            store.renameMap(copyOf(store, namespace), StoreMaps.documentsName(namespace));
        }
        StoreMaps.allIndexes(store).forEach(store::removeMap);
        format.remove(COPIED);
        format.put(KEYS, SORTABLE_NUMBERS);
        store.commit();
    }

    private static long copy(MVStore store, String namespace) {
        MVMap<String, byte[]> copy = copyOf(store, namespace);
        long copied = 0;
        for (Map.Entry<String, byte[]> document : StoreMaps.documents(store, namespace).entrySet()) {
            copy.put(BsonBytes.key(valuesOfBsonKey(document.getKey())), document.getValue());
            copied++;
        }
        return copied;
    }

    private static MVMap<String, byte[]> copyOf(MVStore store, String namespace) {
        return StoreMaps.documentMap(store, COPIES + namespace);
    }

    /** The values of a key of the earlier form: type byte and BSON value, in turn. */
    static KeyValue valuesOfBsonKey(String key) {
        ByteBuf buffer = Unpooled.wrappedBuffer(key.getBytes(StandardCharsets.ISO_8859_1));
        List<Object> values = new ArrayList<>();
        while (buffer.isReadable()) {
            values.add(BsonDecoder.decodeValue(buffer.readByte(), buffer));
        }
        return new KeyValue(values);
    }

    /** The namespaces whose documents have a copy under new keys. */
    private static List<String> copies(MVStore store) {
        return store.getMapNames().stream()
                .filter(name -> name.startsWith(COPIES))
                .map(name -> name.substring(COPIES.length()))
                .toList();
    }
}
