package io.spindle.node.persistence;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A collection reached through the MongoDB driver. */
final class DriverDocumentCollection<T> implements DocumentCollection<T> {
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final MongoCollection<T> collection;

    DriverDocumentCollection(MongoCollection<T> collection) {
        this.collection = collection;
    }

    /** The class its documents are decoded as. */
    Class<T> documentClass() {
        return collection.getDocumentClass();
    }

    @Override
    public String name() {
        return collection.getNamespace().getCollectionName();
    }

    @Override
    public CompletionStage<Void> insertUnordered(List<T> documents) {
        return Mono.from(collection.insertMany(documents, new InsertManyOptions().ordered(false))).then().toFuture();
    }

    @Override
    public CompletionStage<Void> replaceUnordered(List<Replacement<T>> replacements) {
        List<ReplaceOneModel<T>> writes = replacements.stream().map(r -> new ReplaceOneModel<>(r.filter(), r.document(), UPSERT)).toList();
        return Mono.from(collection.bulkWrite(writes, UNORDERED)).then().toFuture();
    }

    @Override
    public CompletionStage<List<T>> find(Bson filter) {
        return Flux.from(collection.find(filter)).collectList().toFuture();
    }
}
