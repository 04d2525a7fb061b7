package io.spindle.node.dev;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades, once and in place, a file written by mongo-java-server's stock H2 backend (documents Java-serialized
 * in maps {@code databases.<ns>}, sizes in {@code meta.<ns>}, index keys in {@code <ns>._index_<name>}) to the
 * BSON maps of {@link StoreMaps}. Only documents are copied; the databases rebuild their indexes from them when
 * they open, as for any empty index. Copying is redone from scratch until a committed mark says it finished, and
 * only then are the old maps removed, so a crash at any point loses nothing.
 */
final class LegacyH2Format {
    private static final Logger log = LoggerFactory.getLogger(LegacyH2Format.class);
    private static final String DOCUMENTS = "databases.";
    private static final String SIZES = "meta.";
    private static final String INDEX = "._index_";
    private static final String NEW_FORMAT = "bson.";
    private static final String UPGRADE_MAP = "spindle.upgrade";
    private static final String COPIED = "documents-copied";
    /** How the stock database keys its catalog collections (every other collection by {@code _id}). */
    private static final String NAMESPACES = "system.namespaces";
    private static final String NAMESPACES_ID = "name";
    private static final String INDEXES = "system.indexes";
    private static final String ID = "_id";

    private LegacyH2Format() {
    }

    static void upgrade(MVStore store) {
        List<String> legacy = store.getMapNames().stream().filter(LegacyH2Format::isLegacy).toList();
        if (legacy.isEmpty()) {
            return;
        }
        MVMap<String, String> upgrade = StoreMaps.marks(store, UPGRADE_MAP);
        if (!upgrade.containsKey(COPIED)) {
            log.info("Upgrading {} from the stock H2 backend's format to BSON documents", store.getFileStore().getFileName());
            StoreMaps.allDocuments(store).forEach(store::removeMap);
            StoreMaps.allIndexes(store).forEach(store::removeMap);
            long copied = 0;
            for (String name : legacy) {
                if (name.startsWith(DOCUMENTS)) {
                    copied += copyDocuments(store, name.substring(DOCUMENTS.length()));
                }
            }
            upgrade.put(COPIED, Long.toString(copied));
            store.commit();
            log.info("Copied {} documents; removing the old maps", copied);
        }
        legacy.forEach(store::removeMap);
        store.removeMap(upgrade);
        store.commit();
    }

    private static boolean isLegacy(String mapName) {
        return !mapName.startsWith(NEW_FORMAT)
                && (mapName.startsWith(DOCUMENTS) || mapName.startsWith(SIZES) || mapName.contains(INDEX));
    }

    private static long copyDocuments(MVStore store, String namespace) {
        String collection = namespace.substring(namespace.indexOf('.') + 1);
        String idField = collection.equals(NAMESPACES) ? NAMESPACES_ID : collection.equals(INDEXES) ? null : ID;
        MVMap<Object, Object> old = store.openMap(DOCUMENTS + namespace);
        MVMap<String, byte[]> documents = StoreMaps.documents(store, namespace);
        long copied = 0;
        for (Object value : old.values()) {
            Document document = (Document) value;
            documents.put(BsonCollection.keyOf(document, idField), BsonBytes.encode(document));
            copied++;
        }
        return copied;
    }
}
