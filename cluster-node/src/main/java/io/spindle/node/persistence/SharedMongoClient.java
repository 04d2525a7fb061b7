package io.spindle.node.persistence;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.typesafe.config.Config;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * One MongoDB client per ActorSystem (config {@code spindle.mongo}), shared by the journal, the
 * snapshot store, the read journal and the read model. Closed when the system terminates. When the server is the
 * embedded one of this very process, {@link #documents} also reaches it without the driver.
 */
public final class SharedMongoClient implements Extension {
    private final MongoClient client;
    private final MongoDatabase database;
    private final MongoCommandCounts commandCounts = new MongoCommandCounts();
    /** Where an embedded server of this process would be, when {@code in-process} is on. */
    private final Optional<ServerAddress> inProcessAddress;

    private SharedMongoClient(ActorSystem<?> system) {
        Config config = system.settings().config().getConfig("spindle.mongo");
        // No serverApi(...): the embedded Mongo-wire server hangs when a stable API version is requested.
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(config.getString("uri")))
                .addCommandListener(commandCounts)
                .build();
        this.client = MongoClients.create(settings);
        this.database = client.getDatabase(config.getString("database"));
        this.inProcessAddress = config.getBoolean("in-process") ? InProcessServers.address(config.getString("uri")) : Optional.empty();
        system.classicSystem().registerOnTermination(client::close);
    }

    public static SharedMongoClient get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public MongoClient client() {
        return client;
    }

    /** The commands this client has sent, by name. */
    public MongoCommandCounts commandCounts() {
        return commandCounts;
    }

    /**
     * The inserts, finds and replacements of collection {@code name}: handed directly to the embedded Mongo-wire server the client
     * points at whenever that server runs in this process and {@code in-process} is on, through the driver otherwise.
     */
    public DocumentCollection documents(String name) {
        DriverDocumentCollection driver = new DriverDocumentCollection(database.getCollection(name));
        return inProcessAddress.<DocumentCollection>map(address -> new InProcessDocumentCollection(address, database.getName(), driver,
                commandCounts)).orElse(driver);
    }

    public MongoDatabase database() {
        return database;
    }

    private static final class Id extends ExtensionId<SharedMongoClient> {
        static final Id INSTANCE = new Id();

        @Override
        public SharedMongoClient createExtension(ActorSystem<?> system) {
            return new SharedMongoClient(system);
        }
    }
}
