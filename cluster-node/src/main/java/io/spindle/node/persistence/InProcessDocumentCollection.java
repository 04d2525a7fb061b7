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
import org.bson.conversions.Bson;

/**
 * A collection of the embedded Mongo-wire server of this process, reached with the commands the driver would send
 * ({@code insert}, {@code find}, {@code update}) and read from the replies the server would send back. The server is
 * looked up at each command: one restarted on the same address is reached again, and while none runs in this process
 * at that address (stopped, or another process's) the command goes through the driver, which knows how to wait for
 * it.
 */
final class InProcessDocumentCollection implements DocumentCollection {
    private static final String ID = "_id";
    private static final Codec<Document> DOCUMENTS = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);
    private static final Codec<BsonDocument> BSON = MongoClientSettings.getDefaultCodecRegistry().get(BsonDocument.class);

    private final ServerAddress address;
    private final String database;
    private final String name;
    private final DocumentCollection driver;
    private final MongoCommandCounts counts;

    /**
     * The collection {@code driver} reaches, in process while an embedded server runs here at {@code address};
     * counts the commands it hands over in {@code counts}, as the driver's listener counts those it sends.
     */
    InProcessDocumentCollection(ServerAddress address, String database, DocumentCollection driver, MongoCommandCounts counts) {
        this.address = address;
        this.database = database;
        this.name = driver.name();
        this.driver = driver;
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
    public CompletionStage<Void> insertUnordered(List<Document> documents) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.insertUnordered(documents);
        }
        Document command = new Document("insert", name).append("documents", documents).append("ordered", false);
        return run(mongo.get(), "insert", command).thenApply(reply -> failOnWriteErrors(mongo.get(), documents.size(), reply));
    }

    @Override
    public CompletionStage<Void> replaceUpserting(List<BsonDocument> documents) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.replaceUpserting(documents);
        }
        List<Document> updates = documents.stream()
                .map(d -> new Document("q", new Document(ID, d.get(ID))).append("u", d).append("upsert", true))
                .toList();
        Document command = new Document("update", name).append("updates", updates).append("ordered", false);
        return run(mongo.get(), "update", command).thenApply(reply -> failOnWriteErrors(mongo.get(), documents.size(), reply));
    }

    /** Nothing when the server stored every document of a write; else what the driver throws. */
    private static Void failOnWriteErrors(InProcessServer mongo, int sent, RawBsonDocument reply) {
        BsonArray errors = reply.containsKey("writeErrors") ? reply.getArray("writeErrors") : new BsonArray();
        if (!errors.isEmpty()) {
            throw bulkWriteFailure(mongo, sent, errors);
        }
        return null;
    }

    /** What the driver throws for a write some documents of which the server refused. */
    private static MongoBulkWriteException bulkWriteFailure(InProcessServer mongo, int sent, BsonArray errors) {
        List<BulkWriteError> writeErrors = new ArrayList<>(errors.size());
        for (BsonValue error : errors) {
            BsonDocument e = error.asDocument();
            writeErrors.add(new BulkWriteError(e.getNumber("code").intValue(), e.getString("errmsg").getValue(), new BsonDocument(),
                    e.getNumber("index").intValue()));
        }
        BulkWriteResult stored = BulkWriteResult.acknowledged(sent - writeErrors.size(), 0, 0, 0, List.of(), List.of());
        return new MongoBulkWriteException(stored, writeErrors, null, mongo.serverAddress(), Set.of());
    }

    @Override
    public CompletionStage<List<Document>> find(Bson filter) {
        Optional<InProcessServer> mongo = InProcessServers.running(address);
        if (mongo.isEmpty()) {
            return driver.find(filter);
        }
        Document command = new Document("find", name).append("filter", filter.toBsonDocument());
        return run(mongo.get(), "find", command).thenApply(this::firstBatch);
    }

    /** A find without a batch size gets every match in its first batch from the embedded server, and no cursor. */
    private List<Document> firstBatch(RawBsonDocument reply) {
        BsonDocument cursor = reply.getDocument("cursor");
        if (cursor.getNumber("id").longValue() != 0) {
            throw new IllegalStateException("the embedded server left a cursor open on a find of " + name);
        }
        BsonArray batch = cursor.getArray("firstBatch");
        List<Document> found = new ArrayList<>(batch.size());
        for (BsonValue document : batch) {
            found.add(decode(document.asDocument()));
        }
        return found;
    }

    /** A document of a reply as the driver's collections decode it. */
    private static Document decode(BsonDocument document) {
        return document instanceof RawBsonDocument raw ? raw.decode(DOCUMENTS) : new RawBsonDocument(document, BSON).decode(DOCUMENTS);
    }
}
