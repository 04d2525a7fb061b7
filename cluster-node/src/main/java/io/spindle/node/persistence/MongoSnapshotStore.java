package io.spindle.node.persistence;

import static io.spindle.node.persistence.EventDocuments.longField;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The Pekko snapshot store plugin on MongoDB ({@code spindle.persistence.snapshot}).
 *
 * <p>A snapshot is one document {@code {_id: "pid|seq", pid, seq, ts, serId, serManifest, payload,
 * meta?}}: the snapshot as Pekko serialized it, and the SnapshotMetadata's metadata in {@code meta}
 * only when it has some (see {@link SerializedPayload}). A catalog document per persistence
 * id ({@code _id = pid, entries: {"<seq>": timestamp}}) lists them. Loading reads the catalog,
 * picks the newest entries matching the criteria and fetches those by {@code _id}: two lookups by
 * key, never a query the embedded server would answer by scanning every snapshot; the catalog
 * lookups of concurrent loads (a burst of recovering entities) go out together in one find
 * ({@link ReadCoalescer}). A save writes the snapshot before its catalog entry and a delete removes
 * the entry first, so the catalog never lists a snapshot that was not stored (a listed one that is
 * gone is skipped).
 */
public final class MongoSnapshotStore extends SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(MongoSnapshotStore.class);

    private static final String PID = "pid";
    private static final String SEQ = "seq";
    private static final String TIMESTAMP = "ts";
    private static final String ENTRIES = "entries";

    private final MongoCollection<Document> snapshots;
    private final MongoCollection<Document> catalog;
    private final int loadAttempts;
    private final Serialization serialization;
    private final ReadCoalescer<String, List<CatalogEntry>> catalogReads;

    public MongoSnapshotStore(Config config) {
        MongoDatabase database = SharedMongoClient.get(Adapter.toTyped(context().system())).database();
        this.snapshots = database.getCollection(config.getString("collection"));
        this.catalog = database.getCollection(config.getString("catalog-collection"));
        this.loadAttempts = JournalSettings.positive(config, "load-attempts");
        this.serialization = SerializationExtension.get(context().system());
        this.catalogReads = new ReadCoalescer<>("snapshot catalogs",
                ReadBatchSettings.from(config.getConfig("read-batch")), this::catalogs, List.of());
    }

    private record CatalogEntry(long sequenceNr, long timestamp) {
    }

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        CompletionStage<Optional<SelectedSnapshot>> loaded = entries(persistenceId).thenCompose(entries -> {
            List<CatalogEntry> candidates = entries.stream()
                    .filter(entry -> matches(criteria, entry))
                    .sorted(Comparator.comparingLong(CatalogEntry::sequenceNr).reversed())
                    .limit(loadAttempts)
                    .toList();
            if (candidates.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<SelectedSnapshot>empty());
            }
            List<String> ids = candidates.stream().map(entry -> id(persistenceId, entry.sequenceNr())).toList();
            return Flux.from(snapshots.find(Filters.in("_id", ids))).collectList().toFuture()
                    .thenApply(found -> select(persistenceId, candidates, found));
        });
        return FutureConverters.asScala(loaded);
    }

    private Optional<SelectedSnapshot> select(String persistenceId, List<CatalogEntry> candidates, List<Document> found) {
        Map<Object, Document> byId = new HashMap<>();
        found.forEach(document -> byId.put(document.get("_id"), document));
        Exception lastFailure = null;
        for (CatalogEntry entry : candidates) {
            Document document = byId.get(id(persistenceId, entry.sequenceNr()));
            if (document == null) {
                continue;
            }
            try {
                Object snapshot = SerializedPayload.from(document).deserialize(serialization);
                SnapshotMetadata metadata = new SnapshotMetadata(persistenceId, longField(document, SEQ),
                        longField(document, TIMESTAMP), SerializedPayload.metadataOf(document, serialization));
                return Optional.of(SelectedSnapshot.create(metadata, snapshot));
            } catch (Exception e) {
                log.warn("Snapshot {} seq {} cannot be deserialized, trying an older one: {}",
                        persistenceId, entry.sequenceNr(), e.toString());
                lastFailure = e;
            }
        }
        if (lastFailure != null) {
            throw new IllegalStateException("no readable snapshot of " + persistenceId + " among " + candidates, lastFailure);
        }
        return Optional.empty();
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        Document document;
        try {
            document = encode(metadata, snapshot);
        } catch (Exception e) {
            return Futures.failed(e);
        }
        CompletionStage<Void> saved = Mono.from(snapshots.replaceOne(
                        Filters.eq("_id", document.get("_id")), document, new ReplaceOptions().upsert(true)))
                .then(Mono.from(catalog.updateOne(
                        Filters.eq("_id", metadata.persistenceId()),
                        Updates.set(ENTRIES + "." + metadata.sequenceNr(), metadata.timestamp()),
                        new UpdateOptions().upsert(true))))
                .then()
                .toFuture();
        return FutureConverters.asScala(saved);
    }

    /** Throws when the snapshot or its metadata cannot be serialized. */
    private Document encode(SnapshotMetadata metadata, Object snapshot) {
        Document document = SerializedPayload.of(serialization, snapshot).appendTo(
                new Document("_id", id(metadata.persistenceId(), metadata.sequenceNr()))
                        .append(PID, metadata.persistenceId())
                        .append(SEQ, metadata.sequenceNr())
                        .append(TIMESTAMP, metadata.timestamp()));
        SerializedPayload.ofMetadata(serialization, metadata.metadata())
                .ifPresent(serialized -> document.append(SerializedPayload.METADATA, serialized.toDocument()));
        return document;
    }

    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        return FutureConverters.asScala(delete(metadata.persistenceId(), List.of(metadata.sequenceNr())));
    }

    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        CompletionStage<Void> deleted = entries(persistenceId).thenCompose(entries -> delete(persistenceId,
                entries.stream()
                        .filter(entry -> matches(criteria, entry))
                        .map(CatalogEntry::sequenceNr)
                        .toList()));
        return FutureConverters.asScala(deleted);
    }

    private CompletionStage<Void> delete(String persistenceId, List<Long> sequenceNrs) {
        if (sequenceNrs.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Bson> unsets = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (long sequenceNr : sequenceNrs) {
            unsets.add(Updates.unset(ENTRIES + "." + sequenceNr));
            ids.add(id(persistenceId, sequenceNr));
        }
        return Mono.from(catalog.updateOne(Filters.eq("_id", persistenceId), Updates.combine(unsets)))
                .then(Mono.from(snapshots.deleteMany(Filters.in("_id", ids))))
                .then()
                .toFuture();
    }

    private CompletionStage<List<CatalogEntry>> entries(String persistenceId) {
        return catalogReads.read(persistenceId);
    }

    /** The catalogs of many persistence ids in one find; ids without one are left out. */
    private CompletionStage<Map<String, List<CatalogEntry>>> catalogs(List<String> persistenceIds) {
        return Flux.from(catalog.find(Filters.in("_id", persistenceIds)))
                .collectMap(document -> document.getString("_id"), MongoSnapshotStore::entriesOf)
                .toFuture();
    }

    private static List<CatalogEntry> entriesOf(Document catalogDocument) {
        Document entries = catalogDocument.get(ENTRIES, Document.class);
        List<CatalogEntry> list = new ArrayList<>();
        if (entries != null) {
            entries.forEach((seq, timestamp) ->
                    list.add(new CatalogEntry(Long.parseLong(seq), ((Number) timestamp).longValue())));
        }
        return list;
    }

    private static boolean matches(SnapshotSelectionCriteria criteria, CatalogEntry entry) {
        return entry.sequenceNr() >= criteria.minSequenceNr() && entry.sequenceNr() <= criteria.maxSequenceNr()
                && entry.timestamp() >= criteria.minTimestamp() && entry.timestamp() <= criteria.maxTimestamp();
    }

    private static String id(String persistenceId, long sequenceNr) {
        return EventDocuments.key(persistenceId, sequenceNr);
    }
}
