package io.spindle.node.dev;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spindle.node.persistence.InProcessServer;
import io.spindle.node.persistence.InProcessServers;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;

/**
 * The embedded Mongo-wire server's backend reached from its own process without the driver and the loopback
 * socket: a command document is handled by the same code that handles it off the wire
 * ({@link DurableBsonBackend#handleCommand}, so a write is acknowledged only after the commit that holds it), and
 * the reply comes back as the BSON the server would have sent. Commands run one at a time on a thread of their own,
 * as one connection's commands do on the server: the caller hands a command over and goes on (the journal keeps
 * gathering writes meanwhile), and the reply completes its future on that thread.
 *
 * <p>Registered in {@link InProcessServers} under the address it listens on while it runs: a node whose connection
 * string names that address uses it directly, one pointed anywhere else goes through the driver. A server
 * restarted on the same address registers again, and is found again.
 */
public final class InProcessMongo implements InProcessServer {
    private static final Codec<Document> DOCUMENTS = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);
    /** MongoDB's code for an error with no better code ("UnknownError"). */
    private static final int UNKNOWN_ERROR = 8;

    private final DurableBsonBackend backend;
    private final ServerAddress serverAddress;
    /** The backend keeps a few "last results" per connection; this is the connection of in-process commands. */
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ExecutorService thread;

    private InProcessMongo(DurableBsonBackend backend, InetSocketAddress address) {
        this.backend = backend;
        this.serverAddress = new ServerAddress(address.getHostString(), address.getPort());
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spindle-mongo-in-process");
            t.setDaemon(true);
            return t;
        });
    }

    /** Makes the server at {@code address} reachable in process; undone by {@link #close}. */
    static InProcessMongo register(DurableBsonBackend backend, InetSocketAddress address) {
        InProcessMongo inProcess = new InProcessMongo(backend, address);
        InProcessServers.register(inProcess);
        return inProcess;
    }

    /** No longer found; commands handed over before run, later ones fail. */
    void close() {
        InProcessServers.unregister(this);
        thread.shutdown();
    }

    @Override
    public ServerAddress serverAddress() {
        return serverAddress;
    }

    /** Runs the command on the command thread. */
    @Override
    public CompletableFuture<RawBsonDocument> run(String database, Document command) {
        // Encoded on the caller's thread, as the driver would: the caller may go on changing its documents.
        RawBsonDocument encoded;
        try {
            encoded = new RawBsonDocument(command, DOCUMENTS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return CompletableFuture.supplyAsync(() -> handle(database, encoded), thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the embedded Mongo server " + serverAddress + " stopped", e));
        }
    }

    private RawBsonDocument handle(String database, RawBsonDocument command) {
        String name = command.getFirstKey();
        de.bwaldvogel.mongo.bson.Document query = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(command.getByteBuffer().asNIO()));
        de.bwaldvogel.mongo.bson.Document reply;
        try {
            reply = backend.handleCommand(channel, database, name, query);
        } catch (MongoServerError e) {
            throw failure(e.getCode(), e.getCodeName(), e.getMessageWithoutErrorCode());
        } catch (MongoServerException e) {
            throw failure(UNKNOWN_ERROR, null, e.getMessageWithoutErrorCode());
        } catch (RuntimeException e) {
            throw failure(UNKNOWN_ERROR, null, String.valueOf(e));
        }
        RawBsonDocument decoded = encode(reply);
        if (!decoded.containsKey("ok") || decoded.get("ok").asNumber().intValue() != 1) {
            throw new MongoCommandException(decoded, serverAddress);
        }
        return decoded;
    }

    /** The error reply the server would have sent, as the driver throws it; {@code codeName} may be null. */
    private MongoCommandException failure(int code, String codeName, String message) {
        BsonDocument reply = new BsonDocument("ok", new BsonInt32(0))
                .append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName == null ? "UnknownError" : codeName));
        return new MongoCommandException(reply, serverAddress);
    }

    private static RawBsonDocument encode(de.bwaldvogel.mongo.bson.Document reply) {
        ByteBuf out = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(reply, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return new RawBsonDocument(bytes);
        } finally {
            out.release();
        }
    }

    @Override
    public String toString() {
        return "in-process Mongo-wire server " + serverAddress;
    }
}
