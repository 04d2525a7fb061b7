package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.ORD;
import static io.spindle.node.persistence.EventDocuments.PID;
import static io.spindle.node.persistence.EventDocuments.WRITTEN_AT;
import static io.spindle.node.persistence.EventDocuments.firstOrdering;
import static io.spindle.node.persistence.EventDocuments.lastOrdering;
import static io.spindle.node.persistence.EventDocuments.longField;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One eventsByTag stream's walk along the global ordering, a window at a time, never passing an
 * ordering that may still be written.
 *
 * <p>Every ordering up to the counter's value was reserved by some journal ({@link OrderingBlocks}).
 * One that has no document yet is a write in flight, an ordering its journal may still hand out, or
 * one that will never be written (the insert failed, the writer crashed). The walk stops before such
 * a gap and polls again; it passes a missing ordering once {@code gap-timeout} has gone by since it
 * found the run of missing orderings it belongs to, and since it first saw the counter at or above
 * it (by then any write to it has landed: a journal hands an ordering out within
 * {@code ordering-block.lifetime} of reserving it, and its insert lands within {@code flush-timeout}),
 * or at once when a document after it was written longer ago than that (so history with old gaps
 * replays without waiting). One clock per run, not per window, passes the unused rest of a crashed
 * node's block, which spans several windows, in one wait. Orderings above the counter are simply not
 * reserved yet and are never passed.
 *
 * <p>Documents are found by their first ordering ({@code _id}), so the walk always moves over whole
 * documents; only a start offset inside a persistAll needs a look back for its document.
 *
 * <p>Not thread-safe: a stream calls {@link #next()} again only after the previous page completed.
 */
final class EventsByTagWalk {
    private static final Logger log = LoggerFactory.getLogger(EventsByTagWalk.class);
    private static final int FIRST_LOOK_BACK = 16;

    private final String tag;
    private final boolean live;
    private final JournalStore store;
    private final EventDocuments documents;
    private final ReadJournalSettings settings;
    private final Supplier<CompletionStage<Done>> pause;

    /** The last ordering emitted or passed. */
    private long offset;
    /** For a current query: the counter's value when it started; the walk ends there. */
    private Long target;
    /** For a live query: the counter's value read last. */
    private long knownHead;
    private boolean pauseBeforeNext;
    private boolean anchored;
    /** The document holding the start offset, when events after the offset remain in it. */
    private Document carried;
    /** When the walk found the run of missing orderings it stands in (none right after a document). */
    private Long gapFoundAt;
    /** Counter values read, each with the time it was first seen: an ordering exists at least since then. */
    private final TreeMap<Long, Long> headSeenAt = new TreeMap<>();

    EventsByTagWalk(String tag, long offset, boolean live, JournalStore store, EventDocuments documents,
                    ReadJournalSettings settings, Supplier<CompletionStage<Done>> pause) {
        this.tag = tag;
        this.offset = offset;
        this.live = live;
        this.store = store;
        this.documents = documents;
        this.settings = settings;
        this.pause = pause;
        this.anchored = offset <= 0;
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
            CompletionStage<Done> anchor = anchored ? CompletableFuture.completedFuture(Done.getInstance())
                    : lookBack(Math.max(1, offset - FIRST_LOOK_BACK + 1), offset);
            return anchor
                    .thenCompose(done -> store.documentsStartingIn(offset + 1, end))
                    .thenApply(found -> Optional.of(walk(found, walkEnd)));
        });
    }

    private CompletionStage<Long> head() {
        if (live) {
            // A head read earlier is still a safe bound (orderings only grow); read anew once the walk reaches it.
            if (offset < knownHead) {
                return CompletableFuture.completedFuture(knownHead);
            }
            return store.orderingHead().thenApply(head -> knownHead = seen(head));
        }
        if (target == null) {
            return store.orderingHead().thenApply(head -> target = seen(head));
        }
        return CompletableFuture.completedFuture(target);
    }

    private long seen(long head) {
        if (headSeenAt.isEmpty() || head > headSeenAt.lastKey()) {
            headSeenAt.put(head, System.currentTimeMillis());
        }
        return head;
    }

    /** When the walk first saw the counter at or above an ordering (it was allocated or reserved by then). */
    private long visibleSince(long ordering) {
        return headSeenAt.ceilingEntry(ordering).getValue();
    }

    /**
     * Finds the document holding the start offset: the one starting last at or before it. Looks
     * back over [from, to], then further back in wider windows while nothing starts there.
     */
    private CompletionStage<Done> lookBack(long from, long to) {
        return store.documentsStartingIn(from, to).thenCompose(found -> {
            if (!found.isEmpty()) {
                Document last = found.get(found.size() - 1);
                carried = lastOrdering(last) > offset ? last : null;
                anchored = true;
                return CompletableFuture.completedFuture(Done.getInstance());
            }
            if (from <= 1) {
                anchored = true;
                return CompletableFuture.completedFuture(Done.getInstance());
            }
            long wider = Math.min(2 * (to - from + 1), settings.orderingWindow());
            return lookBack(Math.max(1, from - wider), from - 1);
        });
    }

    private List<EventEnvelope> walk(List<Document> found, long walkEnd) {
        long now = System.currentTimeMillis();
        long gapTimeout = settings.gapTimeout().toMillis();
        TreeMap<Long, Document> byFirstOrdering = new TreeMap<>();
        if (carried != null) {
            byFirstOrdering.put(firstOrdering(carried), carried);
            carried = null;
        }
        found.forEach(document -> byFirstOrdering.put(firstOrdering(document), document));
        // A missing ordering below the start of a document written gapTimeout ago is settled.
        long settledBelow = 0;
        for (Document document : found) {
            if (now - longField(document, WRITTEN_AT) >= gapTimeout) {
                settledBelow = Math.max(settledBelow, firstOrdering(document));
            }
        }

        List<EventEnvelope> page = new ArrayList<>();
        long passedFrom = -1;
        boolean waitedOut = false;
        long limit = walkEnd;
        long ord = offset + 1;
        while (ord <= limit) {
            Map.Entry<Long, Document> floor = byFirstOrdering.floorEntry(ord);
            Document document = floor == null || lastOrdering(floor.getValue()) < ord ? null : floor.getValue();
            if (document != null) {
                logPassed(passedFrom, ord - 1, waitedOut);
                passedFrom = -1;
                waitedOut = false;
                gapFoundAt = null;
                emitTagged(document, ord, page);
                // Whole documents only: the next window looks documents up by their first ordering.
                offset = lastOrdering(document);
                limit = Math.max(limit, offset);
                ord = offset + 1;
                continue;
            }
            if (gapFoundAt == null) {
                gapFoundAt = now;
            }
            boolean old = ord < settledBelow;
            if (!old && now - Math.max(gapFoundAt, visibleSince(ord)) < gapTimeout) {
                pauseBeforeNext = true;
                break;
            }
            if (passedFrom < 0) {
                passedFrom = ord;
            }
            waitedOut |= !old;
            offset = ord;
            ord++;
        }
        logPassed(passedFrom, offset, waitedOut);
        headSeenAt.headMap(offset, true).clear();
        return page;
    }

    private void emitTagged(Document document, long fromOrdering, List<EventEnvelope> page) {
        // Events trimmed by a delete are simply absent; their orderings stay covered.
        for (Document event : EventDocuments.events(document)) {
            long ord = longField(event, ORD);
            if (ord >= fromOrdering && EventDocuments.tags(event).contains(tag)) {
                page.add(documents.toEnvelope(document.getString(PID), event));
            }
        }
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
