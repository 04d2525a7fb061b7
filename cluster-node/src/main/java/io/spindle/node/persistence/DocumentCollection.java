package io.spindle.node.persistence;

import com.mongodb.ServerAddress;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.bson.conversions.Bson;

/**
 * What the stores do with a collection on every job: inserting documents, finding them by key and replacing them.
 * Through the driver ({@link DriverDocumentCollection}), or, when the store is the embedded Mongo-wire server of
 * this very process, handed to it in process ({@link InProcessDocumentCollection}): the same commands and replies
 * without the driver's and the server's threads and the loopback socket in between. {@link SharedMongoClient#documents}
 * picks one.
 *
 * @param <T> the class its documents are read and written as ({@code Document}, {@code BsonDocument})
 */
public interface DocumentCollection<T> {
    /** A replacement of the one document {@code filter} matches, inserted as a new one when none does (an upsert). */
    record Replacement<T>(Bson filter, T document) {}

    /** The collection the driver reaches, always through the driver. */
    static <T> DocumentCollection<T> driver(MongoCollection<T> collection) {
        return new DriverDocumentCollection<>(collection);
    }

    /**
     * Collection {@code name} of {@code database}, its documents read as {@code type}: in process while an embedded
     * server runs in this process at {@code address}, through the driver otherwise; the commands it hands over in
     * process are counted in {@code counts}.
     */
    static <T> DocumentCollection<T> inProcess(ServerAddress address, MongoDatabase database, String name, Class<T> type,
                                               MongoCommandCounts counts) {
        DriverDocumentCollection<T> driver = new DriverDocumentCollection<>(database.getCollection(name, type));
        return new InProcessDocumentCollection<>(address, database.getName(), driver, counts);
    }

    /** The collection's name. */
    String name();

    /** One unordered insert; documents it could not store fail it with a {@code MongoBulkWriteException}. */
    CompletionStage<Void> insertUnordered(List<T> documents);

    /**
     * One unordered write of upserting replacements; those it could not write (a duplicate {@code _id} when the
     * filter matched nothing but the document exists, a refused document) fail it with a {@code MongoBulkWriteException}
     * naming each one's index, and the others are written.
     */
    CompletionStage<Void> replaceUnordered(List<Replacement<T>> replacements);

    /** Every document matching {@code filter}. */
    CompletionStage<List<T>> find(Bson filter);
}
