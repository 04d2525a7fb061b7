package io.spindle.node.persistence;

import io.spindle.node.persistence.JournalStore.ScanWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.bson.Document;

/**
 * The journal's reads of recovering entities, coalesced across persistence ids. A recovery asks for
 * the highest sequence nr, then replays up to it. The first window of the highest sequence nr's scan
 * goes out together with those of every other persistence id waiting (one find, {@code keys $in});
 * a scan that goes on past its first window (that window came back full) reads on for its own
 * persistence id alone. When that first window held every document there is, they are kept for the
 * replay that follows, which then reads nothing: an entity with a short history recovers with one
 * journal find, shared with others, and a brand-new id with the same one.
 */
final class RecoveryReads {
    /** Windows kept for replays that never came (a recovery that stopped) are dropped beyond this many. */
    private static final int MAX_KEPT_FOR_REPLAY = 1024;

    private final JournalStore store;
    private final ReadCoalescer<ScanWindow, List<Document>> firstWindows;
    private final Map<String, ReadWindow> keptForReplay = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ReadWindow> eldest) {
            return size() > MAX_KEPT_FOR_REPLAY;
        }
    };

    /** A first window and its documents: every document of the persistence id from the window's start on. */
    private record ReadWindow(ScanWindow window, List<Document> documents) {
    }

    RecoveryReads(JournalStore store, ReadBatchSettings settings) {
        this.store = store;
        this.firstWindows = new ReadCoalescer<>("journal windows", settings, store::findWindows, List.of());
    }

    /**
     * The highest sequence nr from {@code fromSeq} on: the last document's, since deletes keep their
     * documents ({@link JournalStore.DeletionMarker}).
     */
    CompletionStage<Long> highestSequenceNr(String persistenceId, long fromSeq) {
        ScanWindow first = store.firstWindow(persistenceId, fromSeq, Long.MAX_VALUE);
        return firstWindows.read(first).thenCompose(documents -> store.continueScan(first, documents, Long.MAX_VALUE, d -> true)
                .thenApply(highest -> {
                    // Within the first window: it holds all there is. Past fromSeq: a replay follows. Anything
                    // kept before (for a replay that never came) is replaced either way.
                    keep(persistenceId, highest > fromSeq && highest < first.end() ? new ReadWindow(first, documents) : null);
                    return highest;
                }));
    }

    /**
     * Visits the documents of a persistence id from {@code fromSeq} to {@code toSeq} as {@link JournalStore#scan}
     * does: those its highest sequence nr's read kept, or else read with other persistence ids' first windows.
     */
    CompletionStage<Long> replay(String persistenceId, long fromSeq, long toSeq, Predicate<Document> visitor) {
        ReadWindow kept = takeKept(persistenceId);
        if (kept != null && kept.window().start() <= Math.max(1, fromSeq)) {
            // The kept window ends past the last document, so the scan visits it and reads nothing more.
            return store.continueScan(kept.window(), kept.documents(), toSeq, visitor);
        }
        ScanWindow first = store.firstWindow(persistenceId, fromSeq, toSeq);
        if (first.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        return firstWindows.read(first).thenCompose(documents -> store.continueScan(first, documents, toSeq, visitor));
    }

    /** Keeps {@code window} for the persistence id's replay, or forgets what was kept when null. */
    private void keep(String persistenceId, ReadWindow window) {
        synchronized (keptForReplay) {
            if (window == null) {
                keptForReplay.remove(persistenceId);
            } else {
                keptForReplay.put(persistenceId, window);
            }
        }
    }

    private ReadWindow takeKept(String persistenceId) {
        synchronized (keptForReplay) {
            return keptForReplay.remove(persistenceId);
        }
    }
}
