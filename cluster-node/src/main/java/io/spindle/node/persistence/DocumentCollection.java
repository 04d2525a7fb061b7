package io.spindle.node.persistence;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What the journal does with a collection on every write and every read: inserting documents and finding them
 * by unique key (and what the artifact catalog does on every artifact: replacing documents by id). Through the
 * driver ({@link DriverDocumentCollection}), or, when the store is the embedded Mongo-wire server of this very
 * process, handed to it in process ({@link InProcessDocumentCollection}): the same commands and replies without
 * the driver's and the server's threads and the loopback socket in between. {@link SharedMongoClient#documents}
 * picks one.
 */
public interface DocumentCollection {
    /** The collection's name. */
    String name();

    /** One unordered insert; documents it could not store fail it with a {@code MongoBulkWriteException}. */
    CompletionStage<Void> insertUnordered(List<Document> documents);

    /** Every document matching {@code filter}. */
    CompletionStage<List<Document>> find(Bson filter);

    /**
     * One unordered write replacing each document by its {@code _id}, inserting it where there is none; documents it
     * could not store fail it with a {@code MongoBulkWriteException}.
     */
    CompletionStage<Void> replaceUpserting(List<BsonDocument> documents);
}
