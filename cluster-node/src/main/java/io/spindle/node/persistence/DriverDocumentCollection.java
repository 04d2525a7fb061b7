package io.spindle.node.persistence;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A collection reached through the MongoDB driver. */
public final class DriverDocumentCollection implements DocumentCollection {
    private static final String ID = "_id";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private final MongoCollection<Document> collection;

    public DriverDocumentCollection(MongoCollection<Document> collection) {
        this.collection = collection;
    }

    @Override
    public String name() {
        return collection.getNamespace().getCollectionName();
    }

    @Override
    public CompletionStage<Void> insertUnordered(List<Document> documents) {
        return Mono.from(collection.insertMany(documents, new InsertManyOptions().ordered(false))).then().toFuture();
    }

    @Override
    public CompletionStage<List<Document>> find(Bson filter) {
        return Flux.from(collection.find(filter)).collectList().toFuture();
    }

    @Override
    public CompletionStage<Void> replaceUpserting(List<BsonDocument> documents) {
        List<ReplaceOneModel<BsonDocument>> writes = documents.stream()
                .map(d -> new ReplaceOneModel<>(Filters.eq(ID, d.get(ID)), d, UPSERT))
                .toList();
        return Mono.from(collection.withDocumentClass(BsonDocument.class).bulkWrite(writes, UNORDERED)).then().toFuture();
    }
}
