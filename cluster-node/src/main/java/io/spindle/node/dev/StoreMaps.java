package io.spindle.node.dev;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * The maps of the embedded store's MVStore file and their names: per collection one map from key to BSON
 * document ({@code bson.documents.<db>.<collection>}), per unique index one map from key to document key
 * ({@code bson.index.<db>.<collection>$<index>}; a collection name cannot contain {@code $}).
 */
final class StoreMaps {
    private static final String DOCUMENTS = "bson.documents.";
    private static final String INDEX = "bson.index.";
    private static final char INDEX_SEPARATOR = '$';

    private StoreMaps() {
    }

    static MVMap<String, byte[]> documents(MVStore store, String namespace) {
        return documentMap(store, documentsName(namespace));
    }

    /** A small map of the file's own bookkeeping (marks of upgrades, the open session), text to text. */
    static MVMap<String, String> marks(MVStore store, String mapName) {
        return store.openMap(mapName,
                new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
    }

    /** A map of documents by key under any name (an upgrade builds one aside before it takes a collection's name). */
    static MVMap<String, byte[]> documentMap(MVStore store, String mapName) {
        return store.openMap(mapName,
                new MVMap.Builder<String, byte[]>().keyType(KeyDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    }

    static MVMap<String, String> index(MVStore store, String namespace, String indexName) {
        return store.openMap(indexName(namespace, indexName),
                new MVMap.Builder<String, String>().keyType(KeyDataType.INSTANCE).valueType(KeyDataType.INSTANCE));
    }

    static String documentsName(String namespace) {
        return DOCUMENTS + namespace;
    }

    static String indexName(String namespace, String indexName) {
        return indexPrefix(namespace) + indexName;
    }

    /** The names of the index maps of one collection. */
    static List<String> indexesOf(MVStore store, String namespace) {
        return named(store, indexPrefix(namespace));
    }

    /** The names of every map of one database. */
    static List<String> ofDatabase(MVStore store, String database) {
        return store.getMapNames().stream()
                .filter(name -> name.startsWith(DOCUMENTS + database + ".") || name.startsWith(INDEX + database + "."))
                .toList();
    }

    /** The names of every index map in the store. */
    static List<String> allIndexes(MVStore store) {
        return named(store, INDEX);
    }

    /** The names of every document map in the store. */
    static List<String> allDocuments(MVStore store) {
        return named(store, DOCUMENTS);
    }

    /** The namespaces ({@code <db>.<collection>}) that have a document map in the store. */
    static List<String> namespaces(MVStore store) {
        return allDocuments(store).stream().map(name -> name.substring(DOCUMENTS.length())).toList();
    }

    /** The databases that have collections in the store. */
    static Set<String> databases(MVStore store) {
        Set<String> databases = new TreeSet<>();
        for (String name : allDocuments(store)) {
            String namespace = name.substring(DOCUMENTS.length());
            databases.add(namespace.substring(0, namespace.indexOf('.')));
        }
        return databases;
    }

    /** Renames the maps of a collection (documents and indexes) to another namespace. */
    static void rename(MVStore store, String namespace, String newNamespace) {
        store.renameMap(documents(store, namespace), documentsName(newNamespace));
        for (String name : indexesOf(store, namespace)) {
            String indexName = name.substring(indexPrefix(namespace).length());
            store.renameMap(index(store, namespace, indexName), indexName(newNamespace, indexName));
        }
    }

    /** Removes a map if the store has it. */
    static void remove(MVStore store, String name) {
        if (store.hasMap(name)) {
            store.removeMap(name);
        }
    }

    private static String indexPrefix(String namespace) {
        return INDEX + namespace + INDEX_SEPARATOR;
    }

    private static List<String> named(MVStore store, String prefix) {
        return store.getMapNames().stream().filter(name -> name.startsWith(prefix)).toList();
    }
}
