package io.spindle.node.persistence;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

/**
 * A collection of the embedded Mongo-wire server of this process, reached with the commands the driver would send
 * ({@code insert}, {@code update}, {@code find}) and read from the replies the server would send back. The server is
 * looked up at each command: one restarted on the same address is reached again, and while none runs in this process
 * at that address (stopped, or another process's) the command goes through the driver, which knows how to wait for it.
 */
final class InProcessDocumentCollection<T> implements DocumentCollection<T> {
    private static final CodecRegistry CODECS = MongoClientSettings.getDefaultCodecRegistry();
    private static final Codec<BsonDocument> BSON = CODECS.get(BsonDocument.class);

    private final ServerAddress address;
    private final String database;
    private final String name;
    private final DriverDocumentCollection<T> driver;
    private final Codec<T> documents;
    private final MongoCommandCounts counts;

    /**
     * The collection {@code driver} reaches, in process while an embedded server runs here at {@code address};
     * counts the commands it hands over in {@code counts}, as the driver's listener counts those it sends.
     */
    InProcessDocumentCollection(ServerAddress address, String database, DriverDocumentCollection<T> driver, MongoCommandCounts counts) {
        this.address = address;
        this.database = database;
        this.name = driver.name();
        this.driver = driver;
        this.documents = CODECS.get(driver.documentClass());
        this.counts = counts;
    }

    @Override
    public String name() {
        return name;
    }

    private CompletableFuture<RawBsonDocument> run(InProcessServer mongo, String command, Document document) {
        counts.count(command, name);
        return mongo.run(database, document);
    }

    @Override
    public CompletionStage<Void> insertUnordered(List<T> documents) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.insertUnordered(documents);
        }
        Document command = new Document("insert", name).append("documents", documents).append("ordered", false);
        return run(mongo.get(), "insert", command).thenApply(reply -> {
            List<BulkWriteError> errors = writeErrors(reply);
            if (!errors.isEmpty()) {
                BulkWriteResult stored = BulkWriteResult.acknowledged(documents.size() - errors.size(), 0, 0, 0, List.of(), List.of());
                throw new MongoBulkWriteException(stored, errors, null, mongo.get().serverAddress(), Set.of());
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Void> replaceUnordered(List<Replacement<T>> replacements) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.replaceUnordered(replacements);
        }
        List<Document> updates = new ArrayList<>(replacements.size());
        for (Replacement<T> r : replacements) {
            updates.add(new Document("q", r.filter().toBsonDocument()).append("u", r.document())
                    .append("upsert", true).append("multi", false));
        }
        Document command = new Document("update", name).append("updates", updates).append("ordered", false);
        return run(mongo.get(), "update", command).thenApply(reply -> {
            List<BulkWriteError> errors = writeErrors(reply);
            if (!errors.isEmpty()) {
                int upserted = reply.containsKey("upserted") ? reply.getArray("upserted").size() : 0;
                int matched = reply.getNumber("n").intValue() - upserted;
                int modified = reply.containsKey("nModified") ? reply.getNumber("nModified").intValue() : 0;
                BulkWriteResult written = BulkWriteResult.acknowledged(0, matched, 0, modified, List.of(), List.of());
                throw new MongoBulkWriteException(written, errors, null, mongo.get().serverAddress(), Set.of());
            }
            return null;
        });
    }

    /** The write errors of a reply, as the driver reads them (none: an empty list). */
    private static List<BulkWriteError> writeErrors(RawBsonDocument reply) {
        BsonArray errors = reply.containsKey("writeErrors") ? reply.getArray("writeErrors") : new BsonArray();
        List<BulkWriteError> writeErrors = new ArrayList<>(errors.size());
        for (BsonValue error : errors) {
            BsonDocument e = error.asDocument();
            writeErrors.add(new BulkWriteError(e.getNumber("code").intValue(), e.getString("errmsg").getValue(), new BsonDocument(),
                    e.getNumber("index").intValue()));
        }
        return writeErrors;
    }

    @Override
    public CompletionStage<List<T>> find(Bson filter) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.find(filter);
        }
        Document command = new Document("find", name).append("filter", filter.toBsonDocument());
        return run(mongo.get(), "find", command).thenApply(this::firstBatch);
    }

    /** A find without a batch size gets every match in its first batch from the embedded server, and no cursor. */
    private List<T> firstBatch(RawBsonDocument reply) {
        BsonDocument cursor = reply.getDocument("cursor");
        if (cursor.getNumber("id").longValue() != 0) {
            throw new IllegalStateException("the embedded server left a cursor open on a find of " + name);
        }
        BsonArray batch = cursor.getArray("firstBatch");
        List<T> found = new ArrayList<>(batch.size());
        for (BsonValue document : batch) {
            found.add(decode(document.asDocument()));
        }
        return found;
    }

    /** A document of a reply as the driver's collection decodes it. */
    private T decode(BsonDocument document) {
        return document instanceof RawBsonDocument raw ? raw.decode(documents) : new RawBsonDocument(document, BSON).decode(documents);
    }
}
