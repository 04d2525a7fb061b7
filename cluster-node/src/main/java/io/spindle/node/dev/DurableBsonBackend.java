package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The backend of the embedded Mongo-wire server: databases of BSON documents in one MVStore file
 * ({@link StoreFile}), durable on kill -9 because a command that may have changed the store is acknowledged only
 * after its changes are in the store's write-ahead log, or, for a command that changes the store's maps themselves,
 * in a commit. Commands finishing together share one write of the log ({@link WriteAheadLog#awaitWritten}).
 */
final class DurableBsonBackend extends AbstractMongoBackend {
    /** Commands that change the store's maps themselves, which its log does not record: a checkpoint stores them. */
    private static final Set<String> STRUCTURE_COMMANDS = Set.of("create", "createindexes", "drop", "dropindexes",
            "dropdatabase", "renamecollection");
    /** Commands that never change it, so they need not wait for a commit. Any other is checked for changes. */
    private static final Set<String> READ_COMMANDS = Set.of("find", "getmore", "count", "distinct", "listcollections",
            "listindexes", "killcursors", "ping", "ismaster", "hello", "buildinfo", "whatsmyuri", "endsessions");
    /** The driver's connection handshake: answered even by a closed store, so clients see why their commands fail. */
    private static final Set<String> HANDSHAKE_COMMANDS = Set.of("ismaster", "hello", "buildinfo", "whatsmyuri", "endsessions");
    /** MongoDB's code for an error with no better code ("UnknownError"). */
    private static final int UNKNOWN_ERROR = 8;

    private final StoreFile file;

    private DurableBsonBackend(StoreFile file) {
        this.file = file;
    }

    /**
     * Opens the store in {@code path} (creating it if absent) with its databases and their indexes, checkpointing
     * {@code checkpoints} apart.
     */
    static DurableBsonBackend open(Path path, Duration checkpoints) {
        StoreFile file = StoreFile.open(path, checkpoints);
        try {
            DurableBsonBackend backend = new DurableBsonBackend(file);
            file.databases().forEach(backend::resolveDatabase);
            // Indexes rebuilt while opening are stored before the first command.
            file.checkpoint();
            return backend;
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new BsonDatabase(databaseName, file, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (file.isClosed() && !HANDSHAKE_COMMANDS.contains(name)) {
            // H2 closes a store after an internal failure; even ping must then fail, or /ready would call it ok.
            throw new MongoServerError(UNKNOWN_ERROR, "UnknownError", "the embedded store " + this + " is closed; restart the node");
        }
        if (READ_COMMANDS.contains(name)) {
            return super.handleCommand(channel, database, command, query);
        }
        try {
            return super.handleCommand(channel, database, command, query);
        } finally {
            // Also after a failed command: what it changed before failing is visible to others, so it is stored too.
            if (STRUCTURE_COMMANDS.contains(name)) {
                file.checkpoint();
            } else {
                file.awaitDurable();
            }
        }
    }

    StoreFile storeFile() {
        return file;
    }

    @Override
    public void close() {
        super.close();
        file.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + file.mvStore().getFileStore().getFileName() + "]";
    }
}
