package io.spindle.node.testsupport;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** A MongoDB client of a port nothing listens on, giving up quickly: what a store sees while its database is down. */
public final class UnreachableMongo {
    private static final int SERVER_SELECTION_TIMEOUT_MILLIS = 200;

    private UnreachableMongo() {}

    public static MongoClient client() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(SERVER_SELECTION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                .build());
    }
}
