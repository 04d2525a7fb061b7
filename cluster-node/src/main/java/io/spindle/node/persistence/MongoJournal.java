package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.FROM_SEQ;
import static io.spindle.node.persistence.EventDocuments.SEQ;
import static io.spindle.node.persistence.EventDocuments.longField;

import com.typesafe.config.Config;
import io.spindle.node.persistence.EventDocuments.EncodedWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.SerializationExtension;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The Pekko journal plugin on MongoDB ({@code spindle.persistence.journal}).
 *
 * <p>Each AtomicWrite is one document (see {@link EventDocuments}), so a persistAll is stored
 * all-or-nothing. Writes from concurrent entities are coalesced by {@link WriteBatcher}, the reads
 * of recovering entities by {@link RecoveryReads}. An event that cannot be serialized rejects only
 * its AtomicWrite; a storage failure fails the call.
 * Deleting trims events from their documents: a document keeps its keys and ordering range as a
 * tombstone, so sequence nrs cannot be reused and tag queries see no gap, and a marker per
 * persistence id keeps the highest sequence nr from ever going down.
 */
public final class MongoJournal extends AsyncWriteJournal {
    private static final Logger log = LoggerFactory.getLogger(MongoJournal.class);

    private final JournalStore store;
    private final EventDocuments documents;
    private final WriteBatcher batcher;
    private final RecoveryReads reads;
    private final JournalMetrics metrics;
    private final Cancellable releaseOrderingsOnShutdown;

    public MongoJournal(Config config) {
        JournalSettings settings = JournalSettings.from(config);
        ActorSystem<?> system = Adapter.toTyped(context().system());
        SharedMongoClient mongo = SharedMongoClient.get(system);
        this.store = new JournalStore(mongo, settings.collection(), settings.metadataCollection(), settings.scan());
        this.documents = new EventDocuments(SerializationExtension.get(context().system()), settings.maxDocumentBytes());
        this.metrics = JournalMetrics.get(system);
        Scheduler scheduler = context().system().scheduler();
        ExecutionContextExecutor dispatcher = context().dispatcher();
        this.batcher = new WriteBatcher(store, settings, metrics, (delay, task) -> scheduler.scheduleOnce(delay, task, dispatcher));
        this.reads = new RecoveryReads(store, settings.reads());
        // Hands back the orderings reserved and unused while the client can still write, so tag queries on
        // other nodes need not wait out a gap for them (postStop tries again, usually too late for the client).
        this.releaseOrderingsOnShutdown = CoordinatedShutdown.get(context().system()).addCancellableTask(
                CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "release-journal-orderings",
                () -> batcher.close().thenApply(released -> Done.getInstance()));
    }

    @Override
    public void preStart() throws Exception {
        super.preStart();
        // Early, so a misconfigured server shows at start; the first flush waits for it anyway.
        store.ensureIndexes().whenComplete((ready, error) -> {
            if (error != null) {
                log.warn("Journal indexes not created yet (retried on the first write): {}", error.toString());
            }
        });
    }

    @Override
    public void postStop() throws Exception {
        releaseOrderingsOnShutdown.cancel();
        batcher.close();
        super.postStop();
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        long now = System.currentTimeMillis();
        List<Optional<Exception>> results = new ArrayList<>();
        List<EncodedWrite> accepted = new ArrayList<>();
        int events = 0;
        for (AtomicWrite write : messages) {
            try {
                EncodedWrite encoded = documents.encode(write, now);
                accepted.add(encoded);
                events += encoded.events();
                results.add(Optional.empty());
            } catch (Exception e) {
                log.warn("Rejected events of {} seq {}..{}: {}", write.persistenceId(),
                        write.lowestSequenceNr(), write.highestSequenceNr(), e.toString());
                results.add(Optional.of(e));
            }
        }
        metrics.writeCall(accepted.size(), events, results.size() - accepted.size());
        Iterable<Optional<Exception>> outcome = results;
        if (accepted.isEmpty()) {
            return Futures.successful(outcome);
        }
        return FutureConverters.asScala(batcher.submit(accepted).thenApply(stored -> outcome));
    }

    @Override
    public Future<Void> doAsyncReplayMessages(
            String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<PersistentRepr> replayCallback) {
        if (max <= 0 || toSequenceNr < fromSequenceNr) {
            return Futures.successful(null);
        }
        long[] remaining = {max};
        CompletionStage<Long> replayed = reads.replay(persistenceId, fromSequenceNr, toSequenceNr, document -> {
            for (Document event : EventDocuments.events(document)) {
                long seq = longField(event, SEQ);
                if (seq < fromSequenceNr || seq > toSequenceNr) {
                    continue;
                }
                replayCallback.accept(documents.toRepr(persistenceId, event));
                if (--remaining[0] == 0) {
                    return false;
                }
            }
            return true;
        });
        return FutureConverters.asScala(replayed.thenApply(highest -> (Void) null));
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return FutureConverters.asScala(reads.highestSequenceNr(persistenceId, fromSequenceNr));
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        CompletionStage<Void> deleted = store.deletionMarker(persistenceId).thenCompose(marker -> {
            List<Document> affected = new ArrayList<>();
            return store.scan(persistenceId, marker.deletedTo() + 1, Long.MAX_VALUE, document -> {
                if (longField(document, FROM_SEQ) > toSequenceNr) {
                    return false;
                }
                affected.add(document);
                return true;
            }).thenCompose(highest -> {
                long target = Math.min(toSequenceNr, highest);
                if (target <= marker.deletedTo()) {
                    return CompletableFuture.completedFuture(null);
                }
                List<Document> trimmed = new ArrayList<>();
                for (Document document : affected) {
                    List<Document> events = EventDocuments.events(document);
                    List<Document> kept = events.stream().filter(event -> longField(event, SEQ) > target).toList();
                    if (kept.size() != events.size()) {
                        trimmed.add(new Document("_id", document.get("_id")).append(EventDocuments.EVENTS, kept));
                    }
                }
                // Trim, then raise the marker: a delete that stops halfway is redone from the old marker.
                return store.replaceEvents(trimmed)
                        .thenCompose(done -> store.raiseDeletionMarker(persistenceId, target));
            });
        });
        return FutureConverters.asScala(deleted);
    }
}
