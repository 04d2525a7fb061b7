package io.spindle.node.dev;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embedded MongoDB-wire server on a durable H2 MVStore file of BSON documents (see {@link DurableBsonBackend})
 * for {@code spindle dev} and tests. It speaks wire version 5.0, which the 5.x driver requires.
 * Limits worth knowing: unique indexes work, non-unique ones are ignored (queries scan unless they have an
 * {@code _id} equality, which fetches that one document).
 */
public final class EmbeddedMongo implements AutoCloseable {
    private final MongoServer server;
    private final DurableBsonBackend backend;
    private final InetSocketAddress address;
    private final InProcessMongo inProcess;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMongo(MongoServer server, DurableBsonBackend backend, InetSocketAddress address, InProcessMongo inProcess) {
        this.server = server;
        this.inProcess = inProcess;
        this.backend = backend;
        this.address = address;
    }

    /**
     * Starts a server storing its data in {@code file} (0600; a missing directory is created 0700); port 0 picks a
     * free port.
     */
    public static EmbeddedMongo start(Path file, String host, int port) {
        return start(file, host, port, StoreFile.SYNC_INTERVAL);
    }

    /** A server on 127.0.0.1 whose store checkpoints {@code checkpoints} apart (tests stretch it; see {@link StoreFile}). */
    static EmbeddedMongo start(Path file, Duration checkpoints) {
        return start(file, "127.0.0.1", 0, checkpoints);
    }

    private static EmbeddedMongo start(Path file, String host, int port, Duration checkpoints) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                PrivateFiles.directory(dir);
            }
            // Created private before H2 opens it: H2 would create it with the process's umask (0644).
            PrivateFiles.file(file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + " private to this user", e);
        }
        DurableBsonBackend backend = DurableBsonBackend.open(file.toAbsolutePath(), checkpoints);
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, port);
        } catch (Exception e) {
            // Netty throws BindException undeclared; release the data file (and its lock) too.
            server.shutdownNow();
            throw new IllegalStateException("cannot bind the embedded Mongo server to " + host + ":" + port, e);
        }
        InetSocketAddress address = server.getLocalAddress();
        return new EmbeddedMongo(server, backend, address, InProcessMongo.register(backend, address));
    }

    public static EmbeddedMongo start(Path file) {
        return start(file, "127.0.0.1", 0);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** A connection string for the MongoDB driver. */
    public String uri() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** The store behind the server, for tests that break it. */
    DurableBsonBackend backend() {
        return backend;
    }

    /** Stops the server; its shutdown closes (and so commits) the backend. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            inProcess.close();
            server.shutdownNow();
        }
    }
}
