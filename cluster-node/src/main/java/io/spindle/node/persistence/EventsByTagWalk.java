package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.ORD;
import static io.spindle.node.persistence.EventDocuments.PID;
import static io.spindle.node.persistence.EventDocuments.SEQ;
import static io.spindle.node.persistence.EventDocuments.TIMESTAMP;
import static io.spindle.node.persistence.EventDocuments.WRITTEN_AT;
import static io.spindle.node.persistence.EventDocuments.longField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One eventsByTag stream's walk along the global ordering, a window at a time, never passing an
 * ordering that may still be written.
 *
 * <p>Every ordering up to the counter's value was allocated to some event. One that has no
 * document yet is a write in flight, or one that will never land (the insert failed, the writer
 * crashed). The walk stops before such a gap and polls again; it passes the gap once it has been
 * missing for {@code gap-timeout}, or at once when a document after it was written longer ago
 * than that (so history with old gaps replays without waiting). Orderings above the counter are
 * simply not allocated yet and are never passed.
 *
 * <p>Not thread-safe: a stream calls {@link #next()} again only after the previous page completed.
 */
final class EventsByTagWalk {
    private static final Logger log = LoggerFactory.getLogger(EventsByTagWalk.class);

    private final String tag;
    private final boolean live;
    private final JournalStore store;
    private final EventDocuments documents;
    private final ReadJournalSettings settings;
    private final Supplier<CompletionStage<Done>> pause;

    private long offset;
    /** For a current query: the counter's value when it started; the walk ends there. */
    private Long target;
    private boolean pauseBeforeNext;
    private final Map<Long, Long> missingSince = new HashMap<>();

    EventsByTagWalk(String tag, long offset, boolean live, JournalStore store, EventDocuments documents,
                    ReadJournalSettings settings, Supplier<CompletionStage<Done>> pause) {
        this.tag = tag;
        this.offset = offset;
        this.live = live;
        this.store = store;
        this.documents = documents;
        this.settings = settings;
        this.pause = pause;
    }

    /** The next page of events (possibly empty); no page when a current query is complete. */
    CompletionStage<Optional<List<EventEnvelope>>> next() {
        CompletionStage<Done> ready = pauseBeforeNext ? pause.get() : CompletableFuture.completedFuture(Done.getInstance());
        pauseBeforeNext = false;
        return ready.thenCompose(paused -> head()).thenCompose(head -> {
            if (offset >= head) {
                if (!live) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                pauseBeforeNext = true;
                return CompletableFuture.completedFuture(Optional.of(List.of()));
            }
            long end = Math.min(head, offset + settings.orderingWindow());
            // Below the head, the last quarter of the window is only read to learn whether a gap
            // before it is followed by old documents (and so settled); the next window walks it.
            long walkEnd = end == head ? end : Math.max(offset + 1, end - settings.orderingWindow() / 4);
            return store.documentsWithOrderings(offset + 1, end)
                    .thenApply(found -> Optional.of(walk(found, walkEnd)));
        });
    }

    private CompletionStage<Long> head() {
        if (live) {
            return store.orderingHead();
        }
        if (target == null) {
            return store.orderingHead().thenApply(head -> target = head);
        }
        return CompletableFuture.completedFuture(target);
    }

    private List<EventEnvelope> walk(List<Document> found, long end) {
        long now = System.currentTimeMillis();
        long gapTimeout = settings.gapTimeout().toMillis();
        Set<Long> present = new HashSet<>();
        Map<Long, Document> events = new HashMap<>();
        Map<Long, String> persistenceIds = new HashMap<>();
        // Every ordering below the first ordering of a document written before this is settled.
        long settledBelow = 0;
        for (Document document : found) {
            List<Long> ords = EventDocuments.orderings(document);
            present.addAll(ords);
            for (Document event : EventDocuments.events(document)) {
                long ord = longField(event, ORD);
                events.put(ord, event);
                persistenceIds.put(ord, document.getString(PID));
            }
            if (now - longField(document, WRITTEN_AT) >= gapTimeout) {
                settledBelow = Math.max(settledBelow, ords.get(0));
            }
        }
        List<EventEnvelope> page = new ArrayList<>();
        long passedFrom = -1;
        boolean waitedOut = false;
        for (long ord = offset + 1; ord <= end; ord++) {
            if (present.contains(ord)) {
                Document event = events.get(ord);
                // No event at a present ordering: it was deleted (trimmed from its document).
                if (event != null && EventDocuments.tags(event).contains(tag)) {
                    page.add(new EventEnvelope(Offset.sequence(ord), persistenceIds.get(ord), longField(event, SEQ),
                            documents.payload(event), longField(event, TIMESTAMP)));
                }
                logPassed(passedFrom, ord - 1, waitedOut);
                passedFrom = -1;
                waitedOut = false;
            } else {
                long since = missingSince.computeIfAbsent(ord, missing -> now);
                boolean old = ord < settledBelow;
                if (!old && now - since < gapTimeout) {
                    pauseBeforeNext = true;
                    break;
                }
                if (passedFrom < 0) {
                    passedFrom = ord;
                }
                waitedOut |= !old;
            }
            missingSince.remove(ord);
            offset = ord;
        }
        logPassed(passedFrom, offset, waitedOut);
        return page;
    }

    /** A gap waited out is news (a write failed just now); an old one is found again by every new query. */
    private void logPassed(long from, long to, boolean waitedOut) {
        if (from < 0 || to < from) {
            return;
        }
        if (waitedOut) {
            log.info("eventsByTag({}) passed orderings {}..{} after {}: allocated but never written "
                    + "(failed write or crashed writer)", tag, from, to, settings.gapTimeout());
        } else {
            log.debug("eventsByTag({}) passed old gap {}..{}", tag, from, to);
        }
    }
}
