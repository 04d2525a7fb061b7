package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.FROM_SEQ;
import static io.spindle.node.persistence.EventDocuments.SEQ;
import static io.spindle.node.persistence.EventDocuments.longField;

import com.typesafe.config.Config;
import io.spindle.node.persistence.EventDocuments.EncodedWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.serialization.SerializationExtension;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;
import scala.jdk.javaapi.CollectionConverters;

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
 *
 * <p>It answers Pekko's journal protocol itself rather than through Pekko's {@code AsyncWriteJournal}
 * (docs/decisions/0032-journal-answers-its-protocol.md): the replies of a write go from its completion straight to
 * the entity ({@link WriteReplies}), not through that class's resequencing actor, which put one more message per
 * event and per write on the dispatcher and ordered the replies of all entities as one sequence; an entity only ever
 * has one write in flight, so its own replies are in order anyway. Its circuit breaker is not needed either:
 * every write and read already fails after its own timeout ({@code batch.flush-timeout}, {@code reads.timeout}).
 * Nor is its replay filter, a child actor per recovery (one per job) dropping events of a second writer that reused
 * sequence numbers: a unique index on {@code pid|seq} keeps the journal from ever holding such events.
 * Event adapters of the plugin are not supported (the typed behaviours adapt their events themselves).
 */
public final class MongoJournal extends AbstractActor {
    private static final Logger log = LoggerFactory.getLogger(MongoJournal.class);

    private final JournalStore store;
    private final EventDocuments documents;
    private final WriteBatcher batcher;
    private final RecoveryReads reads;
    private final JournalMetrics metrics;
    private final Cancellable releaseOrderingsOnShutdown;

    public MongoJournal(Config config) {
        if (config.hasPath("event-adapters") && !config.getConfig("event-adapters").isEmpty()) {
            throw new IllegalArgumentException("spindle.persistence.journal does not support event-adapters");
        }
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
    public void preStart() {
        // Early, so a misconfigured server shows at start; the first flush waits for it anyway.
        store.ensureIndexes().whenComplete((ready, error) -> {
            if (error != null) {
                log.warn("Journal indexes not created yet (retried on the first write): {}", error.toString());
            }
        });
    }

    @Override
    public void postStop() {
        releaseOrderingsOnShutdown.cancel();
        batcher.close();
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.WriteMessages.class, this::write)
                .match(JournalProtocol.ReplayMessages.class, this::replay)
                .match(JournalProtocol.DeleteMessagesTo.class, this::delete)
                .build();
    }

    /** Encodes each AtomicWrite (one that cannot be is rejected alone), stores the rest in one batch, then replies. */
    private void write(JournalProtocol.WriteMessages m) {
        List<PersistentEnvelope> envelopes = CollectionConverters.asJava(m.messages());
        long now = System.currentTimeMillis();
        List<Exception> rejections = new ArrayList<>(envelopes.size());
        List<EncodedWrite> accepted = new ArrayList<>(envelopes.size());
        int events = 0;
        for (PersistentEnvelope envelope : envelopes) {
            Exception rejection = null;
            if (envelope instanceof AtomicWrite write) {
                try {
                    EncodedWrite encoded = documents.encode(write, now);
                    accepted.add(encoded);
                    events += encoded.events();
                } catch (Exception e) {
                    log.warn("Rejected events of {} seq {}..{}: {}", write.persistenceId(),
                            write.lowestSequenceNr(), write.highestSequenceNr(), e.toString());
                    rejection = e;
                }
            }
            rejections.add(rejection);
        }
        int rejected = (int) rejections.stream().filter(r -> r != null).count();
        metrics.writeCall(accepted.size(), events, rejected);
        WriteReplies replies = new WriteReplies(m.persistentActor(), m.actorInstanceId(), self(), envelopes, rejections);
        if (accepted.isEmpty()) {
            replies.stored();
            return;
        }
        batcher.submit(accepted).whenComplete((stored, error) -> {
            if (error == null) {
                replies.stored();
            } else {
                replies.failed(cause(error));
            }
        });
    }

    /** The highest sequence nr, then the events up to it (at most {@code max}), then RecoverySuccess. */
    private void replay(JournalProtocol.ReplayMessages r) {
        String persistenceId = r.persistenceId();
        ActorRef target = r.persistentActor();
        long from = r.fromSequenceNr();
        CompletionStage<Long> replayed = reads.highestSequenceNr(persistenceId, Math.max(0L, from - 1)).thenCompose(highest -> {
            long to = Math.min(r.toSequenceNr(), highest);
            if (to <= 0 || from > to || r.max() <= 0) {
                return CompletableFuture.completedFuture(highest);
            }
            long[] remaining = {r.max()};
            return reads.replay(persistenceId, from, to, document -> {
                for (Document event : EventDocuments.events(document)) {
                    long seq = longField(event, SEQ);
                    if (seq < from || seq > to) {
                        continue;
                    }
                    target.tell(new JournalProtocol.ReplayedMessage(documents.toRepr(persistenceId, event)), ActorRef.noSender());
                    if (--remaining[0] == 0) {
                        return false;
                    }
                }
                return true;
            }).thenApply(visited -> highest);
        });
        ActorRef journal = self();
        replayed.whenComplete((highest, error) -> target.tell(error == null
                ? new JournalProtocol.RecoverySuccess(highest)
                : new JournalProtocol.ReplayMessagesFailure(cause(error)), journal));
    }

    private void delete(JournalProtocol.DeleteMessagesTo d) {
        ActorRef target = d.persistentActor();
        ActorRef journal = self();
        long toSequenceNr = d.toSequenceNr();
        deleteMessagesTo(d.persistenceId(), toSequenceNr).whenComplete((done, error) -> target.tell(error == null
                ? new DeleteMessagesSuccess(toSequenceNr)
                : new DeleteMessagesFailure(cause(error), toSequenceNr), journal));
    }

    private CompletionStage<Void> deleteMessagesTo(String persistenceId, long toSequenceNr) {
        return store.deletionMarker(persistenceId).thenCompose(marker -> {
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
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
