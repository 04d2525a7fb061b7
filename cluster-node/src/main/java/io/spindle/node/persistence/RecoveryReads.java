package io.spindle.node.persistence;

import io.spindle.node.persistence.JournalStore.DeletionMarker;
import io.spindle.node.persistence.JournalStore.ScanWindow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.bson.Document;

/**
 * The journal's reads of recovering entities, coalesced across persistence ids. Reading the highest
 * sequence nr (all a brand-new id needs) and a replay's first window go out together with those of
 * every other persistence id waiting: one find on the journal ({@code keys $in} the first window of
 * each) and one on the metadata ({@code _id $in} their deletion markers). A scan that goes on past
 * its first window (that window came back full) reads on for its own persistence id alone.
 */
final class RecoveryReads {
    private final JournalStore store;
    private final ReadCoalescer<ScanWindow, List<Document>> firstWindows;
    private final ReadCoalescer<String, DeletionMarker> deletionMarkers;

    RecoveryReads(JournalStore store, ReadBatchSettings settings) {
        this.store = store;
        this.firstWindows = new ReadCoalescer<>("journal windows", settings, store::findWindows, List.of());
        this.deletionMarkers = new ReadCoalescer<>("deletion markers", settings, store::deletionMarkers,
                DeletionMarker.NONE);
    }

    /** The highest sequence nr from {@code fromSeq} on, never below what a deletion recorded. */
    CompletionStage<Long> highestSequenceNr(String persistenceId, long fromSeq) {
        CompletableFuture<Long> scanned = scan(persistenceId, fromSeq, Long.MAX_VALUE, document -> true)
                .toCompletableFuture();
        CompletableFuture<DeletionMarker> marker = deletionMarkers.read(persistenceId).toCompletableFuture();
        return scanned.thenCombine(marker, (highest, deleted) -> Math.max(highest, deleted.highestSequenceNr()));
    }

    /** {@link JournalStore#scan}, its first window read together with other persistence ids'. */
    CompletionStage<Long> scan(String persistenceId, long fromSeq, long toSeq, Predicate<Document> visitor) {
        ScanWindow first = store.firstWindow(persistenceId, fromSeq, toSeq);
        if (first.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        return firstWindows.read(first).thenCompose(documents -> store.continueScan(first, documents, toSeq, visitor));
    }
}
