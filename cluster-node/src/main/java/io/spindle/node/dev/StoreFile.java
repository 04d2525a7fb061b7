package io.spindle.node.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's MVStore file, open for one process (H2 locks it). Opening it upgrades a file of the stock
 * H2 backend ({@link LegacyH2Format}) and, if the previous process never closed it (kill -9, power loss), drops
 * the indexes (unique and secondary) so that the databases rebuild them from the documents: MVStore commits map
 * by map, so a commit taken while a command ran may hold its document without its index entries, or the reverse.
 *
 * <p>Durability, as Redis's {@code appendfsync everysec}: a change is written to the file (the OS page cache) before
 * it is acknowledged, so a killed process loses nothing, and the file is forced to the disk every
 * {@link #SYNC_INTERVAL}, so a power loss loses at most about that much. Chunks freed by later commits are kept for
 * {@link #RETENTION} (a few syncs) before their space is reused, so the last forced state always stays readable; H2's
 * default of 45 s, meant for a file that is never forced, let the file grow to about 45 s of commits (a gigabyte for
 * ten thousand jobs at full speed).
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
    private final GroupCommit commits;
    private final ScheduledExecutorService syncs;

    private StoreFile(MVStore store, MVMap<String, String> session, Path file) {
        this.store = store;
        this.session = session;
        this.commits = new GroupCommit(store);
        this.syncs = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "embedded-store-sync " + file.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        syncs.scheduleWithFixedDelay(this::sync, SYNC_INTERVAL.toMillis(), SYNC_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    static StoreFile open(Path file) {
        MVStore store = MVStore.open(file.toString());
        store.setRetentionTime((int) RETENTION.toMillis());
        try {
            SortableKeysUpgrade.upgrade(store);
            LegacyH2Format.upgrade(store);
            MVMap<String, String> session = StoreMaps.marks(store, SESSION_MAP);
            String lastOpened = session.get(OPENED_AT);
            if (lastOpened != null) {
                log.warn("{} was not closed by the process that opened it at {}: rebuilding its indexes", file, lastOpened);
                StoreMaps.allIndexes(store).forEach(store::removeMap);
            }
            session.put(OPENED_AT, Instant.now().toString());
            store.commit();
            return new StoreFile(store, session, file);
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

    /** Forces what was written to the disk; a failure is logged, and the next sync tries again. */
    private void sync() {
        try {
            if (!store.isClosed()) {
                store.sync();
            }
        } catch (RuntimeException e) {
            log.warn("could not force the embedded store to disk: {}", e.toString());
        }
    }

    /** Returns once every change made before the call is stored (see {@link GroupCommit}). */
    void awaitDurable() {
        commits.awaitDurable();
    }

    /** True once closed, on purpose or by H2 itself after an internal failure. */
    boolean isClosed() {
        return store.isClosed();
    }

    boolean hasUnsavedChanges() {
        return store.hasUnsavedChanges();
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
        if (!store.isClosed()) {
            session.remove(OPENED_AT);
            store.close();
        }
    }
}
