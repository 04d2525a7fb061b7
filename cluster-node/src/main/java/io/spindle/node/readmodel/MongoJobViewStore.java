package io.spindle.node.readmodel;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static io.spindle.node.mongo.JsonDocuments.CREATED_NS;
import static io.spindle.node.mongo.JsonDocuments.ID;
import static io.spindle.node.mongo.JsonDocuments.sortKey;
import static io.spindle.node.mongo.MongoStages.run;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.store.JobCursor;
import io.spindle.model.store.JobPage;
import io.spindle.model.store.JobQuery;
import io.spindle.model.store.JobViewStore;
import io.spindle.model.store.LabelFilter;
import io.spindle.node.mongo.JsonDocuments;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Job views in MongoDB: collection {@code jobs}, one document per job ({@code _id} = job id) with its
 * {@code revision} and {@code created_ns} typed as 64-bit numbers. Writes are batched: one unordered bulk
 * write per {@link #putJobs} call.
 */
public final class MongoJobViewStore implements JobViewStore {
    static final String JOBS = "jobs";
    private static final String REVISION = "revision";
    private static final String STATUS = "status";
    private static final String TYPE = "type";
    private static final String CONFIG_ID = "config_id";
    /**
     * Derived, not part of a job: its labels as {@link LabelFilter#terms}, since a label key may hold '.', which a
     * MongoDB query would read as a path into {@code labels}.
     */
    static final String LABEL_TERMS = "label_terms";

    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
    private static final Bson NEWEST_FIRST = Sorts.descending(CREATED_NS, ID);

    private final MongoDatabase database;
    private final MongoCollection<BsonDocument> jobs;

    public MongoJobViewStore(MongoDatabase database) {
        this.database = database;
        this.jobs = database.getCollection(JOBS, BsonDocument.class);
    }

    /** A store whose indexes exist, ready to serve. */
    public static CompletionStage<MongoJobViewStore> start(MongoDatabase database) {
        MongoJobViewStore store = new MongoJobViewStore(database);
        return store.createIndexes().thenApply(done -> store);
    }

    /**
     * Creates the indexes every query here relies on (idempotent). A real MongoDB serves each filter + sort from
     * one of them; the embedded store reads a sorted page of one filter (or none) in the index's order and counts a
     * status from its index's entries (docs/decisions/0007-embedded-store-format.md).
     */
    public CompletionStage<Void> createIndexes() {
        IndexModel newest = new IndexModel(Indexes.descending(CREATED_NS, ID));
        IndexModel byStatus = new IndexModel(Indexes.compoundIndex(Indexes.ascending(STATUS), Indexes.descending(CREATED_NS, ID)));
        IndexModel byConfig = new IndexModel(Indexes.compoundIndex(Indexes.ascending(CONFIG_ID), Indexes.descending(CREATED_NS, ID)));
        IndexModel byType = new IndexModel(Indexes.compoundIndex(Indexes.ascending(TYPE), Indexes.descending(CREATED_NS, ID)));
        IndexModel byLabel = new IndexModel(Indexes.compoundIndex(Indexes.ascending(LABEL_TERMS), Indexes.descending(CREATED_NS, ID)));
        return run("create job view indexes", Mono.from(jobs.createIndexes(List.of(newest, byStatus, byConfig, byType, byLabel))).then());
    }

    @Override
    public CompletionStage<Optional<Job>> job(String id) {
        return run("read job " + id, Mono.from(jobs.find(eq(ID, id)).first())
                .map(doc -> Optional.of(job(doc)))
                .defaultIfEmpty(Optional.empty()));
    }

    @Override
    public CompletionStage<Map<String, Job>> jobs(Collection<String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(ids));
        return run("read " + distinct.size() + " jobs", Flux.from(jobs.find(in(ID, distinct)))
                .map(MongoJobViewStore::job)
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
                and(eq(ID, v.id()), lt(REVISION, v.revision())), document(v), UPSERT)));
        return run("write " + writes.size() + " job views", Mono.from(jobs.bulkWrite(writes, UNORDERED))
                .onErrorResume(MongoJobViewStore::onlyStaleViews, e -> Mono.empty())
                .onErrorMap(MongoJobViewStore::refusedByServer, e -> refused(writes.size(), e))
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
        if (q.label() != null) {
            filters.add(eq(LABEL_TERMS, q.label().term()));
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
                .map(MongoJobViewStore::job)
                .collectList()
                .map(rows -> {
                    if (rows.size() <= q.limit()) {
                        return new JobPage(rows, null);
                    }
                    List<Job> page = rows.subList(0, q.limit());
                    return new JobPage(page, JobCursor.after(page.get(page.size() - 1)).encode());
                }));
    }

    /**
     * One {@code count} command per status, in parallel: a count over the status index's prefix, on MongoDB and on
     * the embedded store alike (there it counts index entries without reading a view). {@code countDocuments} is an
     * aggregation, which the embedded store runs by reading every view of the status.
     */
    @Override
    public CompletionStage<Map<JobStatus, Long>> countByStatus() {
        return run("count jobs by status", Flux.fromArray(JobStatus.values())
                .flatMap(status -> Mono.from(database.runCommand(new BsonDocument("count", new BsonString(JOBS))
                                .append("query", new BsonDocument(STATUS, new BsonString(status.wireName())))))
                        .map(reply -> Map.entry(status, ((Number) reply.get("n")).longValue())))
                .collectList()
                .map(entries -> {
                    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
                    entries.forEach(e -> counts.put(e.getKey(), e.getValue()));
                    return counts;
                }));
    }

    /** A view's document; its revision typed explicitly: the guard of {@link #putJobs} compares it as a 64-bit number. */
    static BsonDocument document(Job job) {
        BsonDocument doc = JsonDocuments.withIdAndTime(job.id(), job, job.createdAt());
        doc.put(REVISION, new BsonInt64(job.revision()));
        BsonArray terms = new BsonArray();
        LabelFilter.terms(job.labels()).forEach(t -> terms.add(new BsonString(t)));
        doc.put(LABEL_TERMS, terms);
        return doc;
    }

    static Job job(BsonDocument doc) {
        doc.remove(LABEL_TERMS);
        return JsonDocuments.read(doc, Job.class);
    }

    /** The server refused documents (too large, too deep…): writing them again cannot succeed. */
    private static boolean refusedByServer(Throwable e) {
        return e instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null && !bulk.getWriteErrors().isEmpty();
    }

    private static SpindleException refused(int views, Throwable e) {
        SpindleException refused = new SpindleException(ErrorCode.INVALID_REQUEST, "the store refused " + views + " job views: "
                + e.getMessage());
        refused.initCause(e);
        return refused;
    }

    /** True when every failed write of a guarded job upsert collided on _id, i.e. a newer view was stored. */
    private static boolean onlyStaleViews(Throwable e) {
        return e instanceof MongoBulkWriteException bulk
                && bulk.getWriteConcernError() == null
                && bulk.getWriteErrors().stream().allMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }
}
