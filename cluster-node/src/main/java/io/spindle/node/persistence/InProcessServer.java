package io.spindle.node.persistence;

import com.mongodb.ServerAddress;
import java.util.concurrent.CompletableFuture;
import org.bson.Document;
import org.bson.RawBsonDocument;

/**
 * A Mongo-wire server running in this process that takes command documents directly, without the driver and a
 * socket (the embedded one of {@code spindle dev}), found through {@link InProcessServers}.
 */
public interface InProcessServer {
    /** Where it listens for clients over the wire; the key it is found by. */
    ServerAddress serverAddress();

    /**
     * Runs one command (its name is the document's first key). Completes with the reply the server would have
     * sent, or fails with the {@code MongoCommandException} the driver would have thrown for an error reply.
     */
    CompletableFuture<RawBsonDocument> run(String database, Document command);
}
