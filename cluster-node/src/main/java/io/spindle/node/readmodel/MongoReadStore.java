package io.spindle.node.readmodel;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static io.spindle.node.readmodel.ViewDocuments.CONFIG_ID;
import static io.spindle.node.readmodel.ViewDocuments.CONFIG_KEY;
import static io.spindle.node.readmodel.ViewDocuments.CREATED_NS;
import static io.spindle.node.readmodel.ViewDocuments.ID;
import static io.spindle.node.readmodel.ViewDocuments.IS_ACTIVE;
import static io.spindle.node.readmodel.ViewDocuments.JOB_ID;
import static io.spindle.node.readmodel.ViewDocuments.OFFSET;
import static io.spindle.node.readmodel.ViewDocuments.REVISION;
import static io.spindle.node.readmodel.ViewDocuments.STATUS;
import static io.spindle.node.readmodel.ViewDocuments.TYPE;
import static io.spindle.node.readmodel.ViewDocuments.VERSION;
import static io.spindle.node.readmodel.ViewDocuments.sortKey;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.store.JobCursor;
import io.spindle.model.store.JobPage;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.ReadStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The read model in MongoDB: collections {@code jobs} (one view per job, {@code _id} = job id),
 * {@code configs} (latest version per config) with {@code config_versions} (every version, unique
 * (id, version)), {@code artifacts} and {@code projection_offsets}. Writes are batched: one
 * unordered bulk write per {@link #putJobs} / {@link #putArtifacts} call.
 */
public final class MongoReadStore implements ReadStore {
    static final String JOBS = "jobs";
    static final String CONFIGS = "configs";
    static final String CONFIG_VERSIONS = "config_versions";
    static final String ARTIFACTS = "artifacts";
    static final String PROJECTION_OFFSETS = "projection_offsets";

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private static final Bson NEWEST_FIRST = Sorts.descending(CREATED_NS, ID);

    private final MongoCollection<BsonDocument> jobs;
    private final MongoCollection<BsonDocument> configs;
    private final MongoCollection<BsonDocument> configVersions;
    private final MongoCollection<BsonDocument> artifacts;
    private final MongoCollection<BsonDocument> offsets;

    public MongoReadStore(MongoDatabase database) {
        this.jobs = database.getCollection(JOBS, BsonDocument.class);
        this.configs = database.getCollection(CONFIGS, BsonDocument.class);
        this.configVersions = database.getCollection(CONFIG_VERSIONS, BsonDocument.class);
        this.artifacts = database.getCollection(ARTIFACTS, BsonDocument.class);
        this.offsets = database.getCollection(PROJECTION_OFFSETS, BsonDocument.class);
    }

    /** A store whose indexes exist, ready to serve. */
    public static CompletionStage<MongoReadStore> start(MongoDatabase database) {
        MongoReadStore store = new MongoReadStore(database);
        return store.createIndexes().thenApply(done -> store);
    }

    /**
     * Creates the indexes every query here relies on (idempotent). The embedded server keeps only the
     * unique ones, so there the job queries scan; a real MongoDB serves each filter + sort from an index.
     */
    public CompletionStage<Void> createIndexes() {
        IndexModel newest = new IndexModel(Indexes.descending(CREATED_NS, ID));
        IndexModel byStatus = new IndexModel(Indexes.compoundIndex(Indexes.ascending(STATUS), Indexes.descending(CREATED_NS, ID)));
        IndexModel byConfig = new IndexModel(Indexes.compoundIndex(Indexes.ascending(CONFIG_ID), Indexes.descending(CREATED_NS, ID)));
        IndexModel byType = new IndexModel(Indexes.compoundIndex(Indexes.ascending(TYPE), Indexes.descending(CREATED_NS, ID)));
        IndexModel versionKey = new IndexModel(Indexes.ascending(CONFIG_KEY, VERSION), new IndexOptions().unique(true));
        IndexModel artifactsOfJob = new IndexModel(Indexes.ascending(JOB_ID, CREATED_NS, ID));
        return run("create read-model indexes", Mono.when(
                jobs.createIndexes(List.of(newest, byStatus, byConfig, byType)),
                configVersions.createIndexes(List.of(versionKey)),
                artifacts.createIndexes(List.of(artifactsOfJob))));
    }

    // ---- jobs

    @Override
    public CompletionStage<Optional<Job>> job(String id) {
        return run("read job " + id, Mono.from(jobs.find(eq(ID, id)).first())
                .map(doc -> Optional.of(ViewDocuments.job(doc)))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<Map<String, Job>> jobs(Collection<String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(ids));
        return run("read " + distinct.size() + " jobs", Flux.from(jobs.find(in(ID, distinct)))
                .map(ViewDocuments::job)
                .collectMap(Job::id)
                .map(found -> {
                    Map<String, Job> inRequestOrder = new LinkedHashMap<>();
                    distinct.forEach(id -> Optional.ofNullable(found.get(id)).ifPresent(j -> inRequestOrder.put(id, j)));
                    return inRequestOrder;
                }));
    }

    /**
     * One unordered bulk write of guarded upserts: the filter {@code {_id, revision < r}} matches only
     * an older view; when the stored one is as new or newer, the upsert collides on {@code _id} and
     * that duplicate-key error means "already newer", so it is dropped.
     */
    @Override
    public CompletionStage<Void> putJobs(Collection<Job> views) {
        Map<String, Job> newestPerJob = new LinkedHashMap<>();
        views.forEach(v -> newestPerJob.merge(v.id(), v, (a, b) -> b.revision() > a.revision() ? b : a));
        if (newestPerJob.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WriteModel<BsonDocument>> writes = new ArrayList<>(newestPerJob.size());
        newestPerJob.values().forEach(v -> writes.add(new ReplaceOneModel<>(
                and(eq(ID, v.id()), lt(REVISION, v.revision())), ViewDocuments.job(v), UPSERT)));
        return run("write " + writes.size() + " job views", Mono.from(jobs.bulkWrite(writes, UNORDERED))
                .onErrorResume(MongoReadStore::onlyStaleViews, e -> Mono.empty())
                .then());
    }

    @Override
    public CompletionStage<JobPage> queryJobs(JobQuery q) {
        if (q.limit() < 1 || q.limit() > JobQuery.MAX_LIMIT) {
            return CompletableFuture.failedFuture(new SpindleException(ErrorCode.INVALID_REQUEST,
                    "limit must be between 1 and " + JobQuery.MAX_LIMIT + ", got " + q.limit()));
        }
        List<Bson> filters = new ArrayList<>();
        try {
            if (q.cursor() != null) {
                JobCursor cursor = JobCursor.decode(q.cursor());
                long at = sortKey(cursor.createdAt());
                filters.add(or(lt(CREATED_NS, at), and(eq(CREATED_NS, at), lt(ID, cursor.id()))));
            }
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (q.status() != null) {
            filters.add(eq(STATUS, q.status().wireName()));
        }
        if (q.type() != null) {
            filters.add(eq(TYPE, q.type()));
        }
        if (q.configId() != null) {
            filters.add(eq(CONFIG_ID, q.configId()));
        }
        if (q.since() != null) {
            filters.add(gte(CREATED_NS, sortKey(q.since())));
        }
        if (q.until() != null) {
            filters.add(lt(CREATED_NS, sortKey(q.until())));
        }
        Bson filter = filters.isEmpty() ? new BsonDocument() : and(filters);
        // One extra row tells whether another page follows without a count query.
        return run("query jobs", Flux.from(jobs.find(filter).sort(NEWEST_FIRST).limit(q.limit() + 1))
                .map(ViewDocuments::job)
                .collectList()
                .map(rows -> {
                    if (rows.size() <= q.limit()) {
                        return new JobPage(rows, null);
                    }
                    List<Job> page = rows.subList(0, q.limit());
                    return new JobPage(page, JobCursor.after(page.get(page.size() - 1)).encode());
                }));
    }

    // ---- configs: `configs` holds the latest version and is where concurrent writers are serialised;
    // `config_versions` keeps every version. Without transactions, `configs` is written first and
    // configVersions() takes the latest version from it, so a crash between the two writes hides nothing.

    @Override
    public CompletionStage<ModelConfig> createConfig(ModelConfig config) {
        return run("create config " + config.id(), Mono.from(configs.insertOne(ViewDocuments.config(config)))
                .onErrorMap(MongoReadStore::isDuplicateKey,
                        e -> new SpindleException(ErrorCode.ALREADY_EXISTS, "config '" + config.id() + "' already exists"))
                .then(recordVersion(config))
                .thenReturn(config));
    }

    @Override
    public CompletionStage<Optional<ModelConfig>> config(String id) {
        return run("read config " + id, latestConfig(id).map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<List<ModelConfig>> configs() {
        return run("list configs", Flux.from(configs.find().sort(Sorts.ascending(ID)))
                .map(ViewDocuments::config)
                .collectList());
    }

    @Override
    public CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next) {
        Bson current = and(eq(ID, next.id()), eq(VERSION, next.version() - 1));
        return run("save version " + next.version() + " of config " + next.id(),
                Mono.from(configs.replaceOne(current, ViewDocuments.config(next)))
                        .flatMap(result -> result.getMatchedCount() == 1
                                ? recordVersion(next).thenReturn(next)
                                : latestConfig(next.id())
                                        .flatMap(stored -> Mono.<ModelConfig>error(new SpindleException(ErrorCode.INVALID_STATE,
                                                "config '" + next.id() + "' is at version " + stored.version()
                                                        + ", cannot store version " + next.version())))
                                        .switchIfEmpty(Mono.error(() -> configNotFound(next.id())))));
    }

    @Override
    public CompletionStage<ModelConfig> setConfigActive(String id, boolean active) {
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        return run("set config " + id + " active=" + active,
                Mono.from(configs.findOneAndUpdate(eq(ID, id), Updates.set(IS_ACTIVE, active), after))
                        .switchIfEmpty(Mono.error(() -> configNotFound(id)))
                        .map(ViewDocuments::config)
                        .flatMap(updated -> Mono.from(configVersions.updateOne(
                                        and(eq(CONFIG_KEY, id), eq(VERSION, updated.version())), Updates.set(IS_ACTIVE, active)))
                                .thenReturn(updated)));
    }

    @Override
    public CompletionStage<List<ModelConfig>> configVersions(String id) {
        Mono<List<ModelConfig>> history = Flux.from(configVersions.find(eq(CONFIG_KEY, id)).sort(Sorts.ascending(VERSION)))
                .map(ViewDocuments::config)
                .collectList();
        Mono<Optional<ModelConfig>> latest = latestConfig(id).map(Optional::of).defaultIfEmpty(Optional.empty());
        return run("read versions of config " + id, Mono.zip(history, latest).map(both -> {
            Optional<ModelConfig> newest = both.getT2();
            if (newest.isEmpty()) {
                return both.getT1();
            }
            List<ModelConfig> versions = new ArrayList<>();
            both.getT1().stream().filter(v -> v.version() < newest.get().version()).forEach(versions::add);
            versions.add(newest.get());
            return versions;
        }));
    }

    private Mono<ModelConfig> latestConfig(String id) {
        return Mono.from(configs.find(eq(ID, id)).first()).map(ViewDocuments::config);
    }

    private Mono<Void> recordVersion(ModelConfig config) {
        return Mono.from(configVersions.replaceOne(and(eq(CONFIG_KEY, config.id()), eq(VERSION, config.version())),
                ViewDocuments.configVersion(config), UPSERT)).then();
    }

    private static SpindleException configNotFound(String id) {
        return new SpindleException(ErrorCode.CONFIG_NOT_FOUND, "config '" + id + "' does not exist");
    }

    // ---- artifacts

    @Override
    public CompletionStage<Void> putArtifacts(Collection<Artifact> values) {
        if (values.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<WriteModel<BsonDocument>> writes = new ArrayList<>(values.size());
        values.forEach(a -> writes.add(new ReplaceOneModel<>(eq(ID, a.id()), ViewDocuments.artifact(a), UPSERT)));
        return run("write " + writes.size() + " artifacts", Mono.from(artifacts.bulkWrite(writes, UNORDERED)).then());
    }

    @Override
    public CompletionStage<Optional<Artifact>> artifact(String id) {
        return run("read artifact " + id, Mono.from(artifacts.find(eq(ID, id)).first())
                .map(doc -> Optional.of(ViewDocuments.artifact(doc)))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<List<Artifact>> artifactsOfJob(String jobId) {
        return run("read artifacts of job " + jobId,
                Flux.from(artifacts.find(eq(JOB_ID, jobId)).sort(Sorts.ascending(CREATED_NS, ID)))
                        .map(ViewDocuments::artifact)
                        .collectList());
    }

    // ---- projection offsets

    @Override
    public CompletionStage<Optional<Long>> offset(String projection) {
        return run("read offset of " + projection, Mono.from(offsets.find(eq(ID, projection)).first())
                .map(doc -> Optional.of(doc.getNumber(OFFSET).longValue()))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<Void> saveOffset(String projection, long offset) {
        return run("save offset of " + projection, Mono.from(offsets.updateOne(eq(ID, projection),
                Updates.set(OFFSET, new BsonInt64(offset)), new UpdateOptions().upsert(true))).then());
    }

    // ---- errors

    /** True when every failed write of a guarded job upsert collided on _id, i.e. a newer view was stored. */
    private static boolean onlyStaleViews(Throwable e) {
        return e instanceof MongoBulkWriteException bulk
                && bulk.getWriteConcernError() == null
                && bulk.getWriteErrors().stream().allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }

    private static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    /** Runs a driver pipeline, completing with a SpindleException on failure (UNAVAILABLE for the database). */
    private static <T> CompletionStage<T> run(String what, Mono<T> work) {
        return work.onErrorMap(e -> !(e instanceof SpindleException), e -> translate(what, e)).toFuture();
    }

    private static SpindleException translate(String what, Throwable e) {
        ErrorCode code = e instanceof MongoException ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        SpindleException translated = new SpindleException(code, "cannot " + what + ": " + e.getMessage());
        translated.initCause(e);
        return translated;
    }
}
