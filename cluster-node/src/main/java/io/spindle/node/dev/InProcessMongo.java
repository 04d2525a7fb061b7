package io.spindle.node.dev;

import com.mongodb.ConnectionString;
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
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Found by the address a node's connection string names ({@link #at}): a node pointed at an embedded server
 * running in its own process uses it directly, one pointed anywhere else goes through the driver. A server
 * restarted on the same address registers again, and is found again.
 */
public final class InProcessMongo {
    private static final Codec<Document> DOCUMENTS = MongoClientSettings.getDefaultCodecRegistry().get(Document.class);
    private static final Codec<BsonDocument> BSON = MongoClientSettings.getDefaultCodecRegistry().get(BsonDocument.class);
    /** MongoDB's code for an error with no better code ("UnknownError"). */
    private static final int UNKNOWN_ERROR = 8;
    private static final Map<String, InProcessMongo> BY_ADDRESS = new ConcurrentHashMap<>();

    private final DurableBsonBackend backend;
    private final String address;
    private final ServerAddress serverAddress;
    /** The backend keeps a few "last results" per connection; this is the connection of in-process commands. */
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ExecutorService thread;

    private InProcessMongo(DurableBsonBackend backend, InetSocketAddress address) {
        this.backend = backend;
        this.address = key(address.getHostString(), address.getPort());
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
        BY_ADDRESS.put(inProcess.address, inProcess);
        return inProcess;
    }

    /** No longer found; commands handed over before run, later ones fail. */
    void close() {
        BY_ADDRESS.remove(address, this);
        thread.shutdown();
    }

    /**
     * The address an embedded server of this process would be found under ({@link #running}) for a connection
     * string: its only host. Empty for a list of hosts, which is never in process.
     */
    public static Optional<String> address(String uri) {
        List<String> hosts = new ConnectionString(uri).getHosts();
        if (hosts.size() != 1) {
            return Optional.empty();
        }
        ServerAddress host = new ServerAddress(hosts.get(0));
        return Optional.of(key(host.getHost(), host.getPort()));
    }

    /** The embedded server running in this process at {@code address} (see {@link #address}) now, if any. */
    public static Optional<InProcessMongo> running(String address) {
        return Optional.ofNullable(BY_ADDRESS.get(address));
    }

    /** The embedded server of this process that {@code uri} names as its only host, if one runs now. */
    public static Optional<InProcessMongo> at(String uri) {
        return address(uri).flatMap(InProcessMongo::running);
    }

    /** The address of the server, as the driver's errors name it. */
    public ServerAddress serverAddress() {
        return serverAddress;
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }

    /**
     * Runs one command (its name is the document's first key) on the command thread. Completes with the reply, or
     * fails with {@link MongoCommandException} where the server would have answered an error.
     */
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
            return CompletableFuture.failedFuture(new IllegalStateException("the embedded Mongo server " + address + " stopped", e));
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
            throw failure(UNKNOWN_ERROR, "UnknownError", e.getMessageWithoutErrorCode());
        } catch (RuntimeException e) {
            throw failure(UNKNOWN_ERROR, "UnknownError", String.valueOf(e.getMessage()));
        }
        RawBsonDocument decoded = encode(reply);
        if (!decoded.containsKey("ok") || decoded.get("ok").asNumber().intValue() != 1) {
            throw new MongoCommandException(decoded, serverAddress);
        }
        return decoded;
    }

    private MongoCommandException failure(int code, String codeName, String message) {
        BsonDocument reply = new BsonDocument("ok", new BsonInt32(0))
                .append("errmsg", new BsonString(message))
                .append("code", new BsonInt32(code))
                .append("codeName", new BsonString(codeName));
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

    /** Decodes a document of a reply as the driver's collections do. */
    public static Document decode(BsonDocument document) {
        return document instanceof RawBsonDocument raw ? raw.decode(DOCUMENTS) : new RawBsonDocument(document, BSON).decode(DOCUMENTS);
    }

    @Override
    public String toString() {
        return "in-process Mongo-wire server " + address;
    }
}
