package io.spindle.gateway.health;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.queue.JobQueue;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.persistence.SharedMongoClient;
import org.apache.pekko.actor.typed.ActorSystem;
import org.bson.Document;
import reactor.core.publisher.Mono;

/** The readiness checks of Spindle's backends, for the node to hand to the gateway. */
public final class BackendChecks {
    /** A key no artifact has: HEAD on it proves the store answers without reading anything. */
    public static final String PROBE_KEY = "spindle-readiness-probe";
    /** A config id no queue has: its depth proves the queue backend answers. */
    public static final String PROBE_CONFIG = "spindle-readiness-probe";
    public static final String MONGO = "mongo";
    /** A collection nothing writes: reading it proves the database serves reads (ping needs no auth and no store). */
    public static final String PROBE_COLLECTION = "spindle_readiness_probe";

    private BackendChecks() {}

    /** MongoDB answers {@code ping} and a read (the shared client of {@link SharedMongoClient}). */
    public static BackendCheck mongo(ActorSystem<?> system) {
        return mongo(SharedMongoClient.get(system).database());
    }

    public static BackendCheck mongo(MongoDatabase database) {
        return BackendCheck.of(MONGO, () -> Mono.from(database.runCommand(new Document("ping", 1)))
                .then(Mono.from(database.getCollection(PROBE_COLLECTION).find().limit(1).first()))
                .toFuture());
    }

    /** The artifact store (S3) answers a HEAD request. */
    public static BackendCheck artifactStore(String name, ArtifactStore store) {
        return BackendCheck.of(name, () -> store.head(PROBE_KEY));
    }

    /** The job queue backend (Redis) answers a depth query. */
    public static BackendCheck jobQueue(String name, JobQueue queue) {
        return BackendCheck.of(name, () -> queue.depth(PROBE_CONFIG));
    }
}
