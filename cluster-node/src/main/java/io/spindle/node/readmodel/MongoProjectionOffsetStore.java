package io.spindle.node.readmodel;

import static com.mongodb.client.model.Filters.eq;
import static io.spindle.node.mongo.JsonDocuments.ID;
import static io.spindle.node.mongo.MongoStages.run;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.node.persistence.DocumentCollection;
import io.spindle.node.persistence.DocumentCollection.Replacement;
import io.spindle.node.persistence.SharedMongoClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import reactor.core.publisher.Mono;

/**
 * Projection offsets in MongoDB: collection {@code projection_offsets}, {@code {_id: projection, offset}}. Saved
 * once per projection batch, so in process when the store is the embedded server of this process
 * ({@link SharedMongoClient#documents}).
 */
public final class MongoProjectionOffsetStore implements ProjectionOffsetStore {
    static final String PROJECTION_OFFSETS = "projection_offsets";
    private static final String OFFSET = "offset";

    private final DocumentCollection<BsonDocument> offsets;

    /** A store reached through the driver only. */
    public MongoProjectionOffsetStore(MongoDatabase database) {
        this(DocumentCollection.driver(database.getCollection(PROJECTION_OFFSETS, BsonDocument.class)));
    }

    private MongoProjectionOffsetStore(DocumentCollection<BsonDocument> offsets) {
        this.offsets = offsets;
    }

    /** A store reached through the driver only, ready to serve. */
    public static CompletionStage<MongoProjectionOffsetStore> start(MongoDatabase database) {
        return CompletableFuture.completedFuture(new MongoProjectionOffsetStore(database));
    }

    /** The store of the shared client, in process when the store is; ready to serve. */
    public static CompletionStage<MongoProjectionOffsetStore> start(SharedMongoClient mongo) {
        return start(mongo.documents(PROJECTION_OFFSETS, BsonDocument.class));
    }

    /**
     * The store of {@code offsets} (collection {@code projection_offsets}), ready to serve: offsets are read by
     * {@code _id} only, so there is no index to create.
     */
    public static CompletionStage<MongoProjectionOffsetStore> start(DocumentCollection<BsonDocument> offsets) {
        return CompletableFuture.completedFuture(new MongoProjectionOffsetStore(offsets));
    }

    @Override
    public CompletionStage<Optional<Long>> offset(String projection) {
        return run("read offset of " + projection, Mono.fromCompletionStage(() -> offsets.find(eq(ID, projection)))
                .map(found -> found.stream().findFirst().map(doc -> doc.getNumber(OFFSET).longValue())));
    }

    @Override
    public CompletionStage<Void> saveOffset(String projection, long offset) {
        BsonDocument saved = new BsonDocument(ID, new BsonString(projection)).append(OFFSET, new BsonInt64(offset));
        return run("save offset of " + projection,
                Mono.fromCompletionStage(() -> offsets.replaceUnordered(List.of(new Replacement<>(eq(ID, projection), saved)))));
    }
}
