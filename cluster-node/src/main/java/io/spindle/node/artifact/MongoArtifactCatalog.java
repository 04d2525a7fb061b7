package io.spindle.node.artifact;

import static com.mongodb.client.model.Filters.eq;
import static io.spindle.node.mongo.JsonDocuments.CREATED_NS;
import static io.spindle.node.mongo.JsonDocuments.ID;
import static io.spindle.node.mongo.MongoStages.run;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.artifact.ArtifactCatalog;
import io.spindle.node.mongo.JsonDocuments;
import io.spindle.node.persistence.DocumentCollection;
import io.spindle.node.persistence.DriverDocumentCollection;
import io.spindle.node.persistence.SharedMongoClient;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The artifact catalog in MongoDB: collection {@code artifacts}, one document per artifact ({@code _id} =
 * artifact id) with {@code created_ns} for the per-job listing. One unordered bulk write per {@link #putArtifacts}.
 */
public final class MongoArtifactCatalog implements ArtifactCatalog {
    static final String ARTIFACTS = "artifacts";
    private static final String JOB_ID = "job_id";
    private static final String PARENT_IDS = "parent_ids";

    private final MongoCollection<BsonDocument> artifacts;
    /** Where {@link #putArtifacts} writes: through the driver, or to the embedded server of this process directly. */
    private final DocumentCollection writes;

    public MongoArtifactCatalog(MongoDatabase database) {
        this(database, new DriverDocumentCollection(database.getCollection(ARTIFACTS)));
    }

    private MongoArtifactCatalog(MongoDatabase database, DocumentCollection writes) {
        this.artifacts = database.getCollection(ARTIFACTS, BsonDocument.class);
        this.writes = writes;
    }

    /** A catalog whose indexes exist, ready to serve. */
    public static CompletionStage<MongoArtifactCatalog> start(MongoDatabase database) {
        return started(new MongoArtifactCatalog(database));
    }

    /**
     * A catalog on {@code mongo}'s database whose writes, one per stored job output, go to the embedded server in
     * process when it runs in this one ({@link SharedMongoClient#documents}); reads go through the driver.
     */
    public static CompletionStage<MongoArtifactCatalog> start(SharedMongoClient mongo) {
        return started(new MongoArtifactCatalog(mongo.database(), mongo.documents(ARTIFACTS)));
    }

    private static CompletionStage<MongoArtifactCatalog> started(MongoArtifactCatalog catalog) {
        return catalog.createIndexes().thenApply(done -> catalog);
    }

    /** Creates the indexes of {@link #artifactsOfJob} and {@link #childrenOf} (idempotent; the second is multikey). */
    public CompletionStage<Void> createIndexes() {
        IndexModel ofJob = new IndexModel(Indexes.ascending(JOB_ID, CREATED_NS, ID));
        IndexModel byParent = new IndexModel(Indexes.ascending(PARENT_IDS, CREATED_NS, ID));
        return run("create artifact catalog indexes", Mono.from(artifacts.createIndexes(List.of(ofJob, byParent))).then());
    }

    @Override
    public CompletionStage<Void> putArtifacts(Collection<Artifact> values) {
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<BsonDocument> documents = values.stream().map(MongoArtifactCatalog::document).toList();
        return run("write " + documents.size() + " artifacts", Mono.fromCompletionStage(() -> writes.replaceUpserting(documents)));
    }

    @Override
    public CompletionStage<Optional<Artifact>> artifact(String id) {
        return run("read artifact " + id, Mono.from(artifacts.find(eq(ID, id)).first())
                .map(doc -> Optional.of(artifact(doc)))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<List<Artifact>> artifactsOfJob(String jobId) {
        return run("read artifacts of job " + jobId,
                Flux.from(artifacts.find(eq(JOB_ID, jobId)).sort(Sorts.ascending(CREATED_NS, ID)))
                        .map(MongoArtifactCatalog::artifact)
                        .collectList());
    }

    @Override
    public CompletionStage<List<Artifact>> childrenOf(String parentId, int limit) {
        // On an array field, eq matches any element.
        return run("read children of artifact " + parentId,
                Flux.from(artifacts.find(eq(PARENT_IDS, parentId)).sort(Sorts.ascending(CREATED_NS, ID)).limit(limit))
                        .map(MongoArtifactCatalog::artifact)
                        .collectList());
    }

    static BsonDocument document(Artifact artifact) {
        return JsonDocuments.withIdAndTime(artifact.id(), artifact, artifact.createdAt());
    }

    static Artifact artifact(BsonDocument doc) {
        return JsonDocuments.read(doc, Artifact.class);
    }
}
