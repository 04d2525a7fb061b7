package io.spindle.node.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's MVStore file, open for one process (H2 locks it), with its {@link WriteAheadLog}. Opening it
 * upgrades a file of the stock H2 backend ({@link LegacyH2Format}), replays the log left by a process that never
 * closed it (kill -9, power loss) and then drops the indexes (unique and secondary) so that the databases rebuild them
 * from the documents: the log holds the documents' changes only, and MVStore commits map by map, so a commit taken
 * while a command ran may hold its document without its index entries, or the reverse.
 *
 * <p>Durability, as Redis's {@code appendfsync everysec}: a change to a collection's documents is written to the log
 * (the OS page cache) before it is acknowledged, so a killed process loses nothing, and every {@link #SYNC_INTERVAL}
 * a checkpoint commits the store, forces it to the disk and deletes the log's segments it now holds, so a power loss
 * loses at most about that much. A commit rewrites every B-tree page a change touched, so committing once per
 * checkpoint instead of once per command writes each page once for all the changes of that second. Chunks freed by
 * later commits are kept for {@link #RETENTION} (a few syncs) before their space is reused, so the last forced state
 * always stays readable; H2's default of 45 s, meant for a file that is never forced, let the file grow to about 45 s
 * of commits (a gigabyte for ten thousand jobs at full speed).
 */
final class StoreFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreFile.class);
    private static final String SESSION_MAP = "spindle.session";
    /** Present while a process has the file open: its start time. */
    private static final String OPENED_AT = "opened-at";

    static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    /** How long closing waits for a sync under way: a force of a large file can take a while on a slow disk. */
    private static final Duration SYNC_SHUTDOWN = Duration.ofSeconds(30);
    static final Duration RETENTION = SYNC_INTERVAL.multipliedBy(5);

    private final MVStore store;
    private final MVMap<String, String> session;
    private final WriteAheadLog wal;
    private final Object checkpointLock = new Object();
    private final ScheduledExecutorService syncs;

    private StoreFile(MVStore store, MVMap<String, String> session, WriteAheadLog wal, Path file, Duration checkpoints) {
        this.store = store;
        this.session = session;
        this.wal = wal;
        this.syncs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "embedded-store-sync " + file.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        syncs.scheduleWithFixedDelay(this::periodicCheckpoint, checkpoints.toMillis(), checkpoints.toMillis(), TimeUnit.MILLISECONDS);
    }

    static StoreFile open(Path file) {
        return open(file, SYNC_INTERVAL);
    }

    /** Opens {@code file} with checkpoints {@code checkpoints} apart (tests stretch it to keep changes in the log only). */
    static StoreFile open(Path file, Duration checkpoints) {
        MVStore store = MVStore.open(file.toString());
        store.setRetentionTime((int) RETENTION.toMillis());
        try {
            SortableKeysUpgrade.upgrade(store);
            LegacyH2Format.upgrade(store);
            MVMap<String, String> session = StoreMaps.marks(store, SESSION_MAP);
            String lastOpened = session.get(OPENED_AT);
            List<Path> leftOver = WriteAheadLog.segments(file);
            long replayed = replay(store, leftOver);
            if (lastOpened != null || replayed > 0) {
                log.warn("{} was not closed cleanly (last opened at {}): replayed {} changes from its log, "
                        + "rebuilding its indexes", file, lastOpened, replayed);
                StoreMaps.allIndexes(store).forEach(store::removeMap);
            }
            session.put(OPENED_AT, Instant.now().toString());
            store.commit();
            store.sync();
            WriteAheadLog.delete(leftOver);
            return new StoreFile(store, session, WriteAheadLog.create(file, leftOver), file, checkpoints);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    MVStore mvStore() {
        return store;
    }

    Set<String> databases() {
        return StoreMaps.databases(store);
    }

    /** Applies the log's records to the documents' maps; a record of a map no longer in the store is dropped with it. */
    private static long replay(MVStore store, List<Path> segments) {
        Map<Integer, MVMap<String, byte[]>> maps = new HashMap<>();
        return WriteAheadLog.replay(segments, record -> {
            String name = store.getMapName(record.mapId());
            if (name == null) {
                return;
            }
            MVMap<String, byte[]> documents = maps.computeIfAbsent(record.mapId(), id -> StoreMaps.documentMap(store, name));
            if (record.kind() == WalRecord.PUT) {
                documents.put(record.key(), record.document());
            } else {
                documents.remove(record.key());
            }
        });
    }

    /**
     * The documents of one collection, their changes logged. A new map is committed at once, so that its id, which
     * the log's records name, is in the store before any record is.
     */
    LoggedDocuments documents(String namespace) {
        boolean created = !store.hasMap(StoreMaps.documentsName(namespace));
        MVMap<String, byte[]> documents = StoreMaps.documents(store, namespace);
        if (created) {
            checkpoint();
        }
        return new LoggedDocuments(documents, wal);
    }

    /** A checkpoint each {@link #SYNC_INTERVAL} if anything changed; a failure is logged, and the next one tries again. */
    private void periodicCheckpoint() {
        try {
            if (!isClosed() && (store.hasUnsavedChanges() || !wal.isSettled())) {
                checkpoint();
            }
        } catch (RuntimeException e) {
            log.warn("could not checkpoint the embedded store: {}", e.toString());
        }
    }

    /**
     * Commits the store, forces it to the disk and deletes the log's segments it now holds. Also run for commands
     * that change the store's maps themselves (creating, dropping, renaming collections and indexes): the log records
     * documents only.
     */
    void checkpoint() {
        synchronized (checkpointLock) {
            List<Path> held = wal.roll();
            store.commit();
            store.sync();
            wal.discard(held);
        }
    }

    /** Returns once every change to documents made before the call is in the log (see {@link WriteAheadLog}). */
    void awaitDurable() {
        wal.awaitWritten();
    }

    /** True once closed, on purpose or by H2 itself after an internal failure, or once the log could not be written. */
    boolean isClosed() {
        return store.isClosed() || wal.failed();
    }

    /**
     * Marks the file closed cleanly and closes it (which commits). The sync thread is let finish rather than
     * interrupted: an interrupt during a write or force closes the file's channel (NIO's interruptible channels),
     * and the close after it then failed with the store half closed.
     */
    @Override
    public void close() {
        syncs.shutdown();
        try {
            if (!syncs.awaitTermination(SYNC_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the embedded store's sync still runs after {}; closing the store anyway", SYNC_SHUTDOWN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!store.isClosed() && !wal.failed()) {
            session.remove(OPENED_AT);
            store.close();
            wal.closeAndDelete();
        } else {
            // What the log holds may be missing from the store: it stays for the next open to replay.
            wal.close();
            store.closeImmediately();
        }
    }
}
