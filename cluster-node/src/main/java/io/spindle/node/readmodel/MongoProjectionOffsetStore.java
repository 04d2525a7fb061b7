package io.spindle.node.readmodel;

import static com.mongodb.client.model.Filters.eq;
import static io.spindle.node.mongo.JsonDocuments.ID;
import static io.spindle.node.mongo.MongoStages.run;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import reactor.core.publisher.Mono;

/** Projection offsets in MongoDB: collection {@code projection_offsets}, {@code {_id: projection, offset}}. */
public final class MongoProjectionOffsetStore implements ProjectionOffsetStore {
    static final String PROJECTION_OFFSETS = "projection_offsets";
    private static final String OFFSET = "offset";

    private final MongoCollection<BsonDocument> offsets;

    public MongoProjectionOffsetStore(MongoDatabase database) {
        this.offsets = database.getCollection(PROJECTION_OFFSETS, BsonDocument.class);
    }

    /** A store ready to serve: offsets are read by {@code _id} only, so there is no index to create. */
    public static CompletionStage<MongoProjectionOffsetStore> start(MongoDatabase database) {
        return CompletableFuture.completedFuture(new MongoProjectionOffsetStore(database));
    }

    @Override
    public CompletionStage<Optional<Long>> offset(String projection) {
        return run("read offset of " + projection, Mono.from(offsets.find(eq(ID, projection)).first())
                .map(doc -> Optional.of(doc.getNumber(OFFSET).longValue()))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<Void> saveOffset(String projection, long offset) {
        return run("save offset of " + projection, Mono.from(offsets.updateOne(eq(ID, projection),
                Updates.set(OFFSET, new BsonInt64(offset)), new UpdateOptions().upsert(true))).then());
    }
}
