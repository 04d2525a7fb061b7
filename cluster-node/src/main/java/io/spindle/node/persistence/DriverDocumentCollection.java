package io.spindle.node.persistence;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A collection reached through the MongoDB driver. */
final class DriverDocumentCollection implements DocumentCollection {
    private final MongoCollection<Document> collection;

    DriverDocumentCollection(MongoCollection<Document> collection) {
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
}
