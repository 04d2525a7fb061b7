package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A non-unique index answers queries that fix its first key, stays right through writes and restarts, and reads only its matches. */
class BsonSecondaryIndexTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Bson BY_STATUS = Indexes.compoundIndex(Indexes.ascending("status"), Indexes.descending("created", "_id"));

    @TempDir
    Path dir;

    @Test
    void queriesFixingTheFirstKeyFindExactlyTheirMatchesThroughUpdatesDeletesAndRestarts() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(BY_STATUS));
            block(jobs.insertMany(List.of(job("a", "queued", 1), job("b", "queued", 2), job("c", "running", 3), job("d", "succeeded", 4))));
            block(jobs.updateOne(Filters.eq("_id", "a"), Updates.set("status", "running")));
            block(jobs.deleteOne(Filters.eq("_id", "d")));
            block(jobs.replaceOne(Filters.eq("_id", "c"), job("c", "succeeded", 3)));

            assertEquals(List.of("b"), ids(jobs, Filters.eq("status", "queued")));
            assertEquals(List.of("a"), ids(jobs, Filters.and(Filters.eq("status", "running"), Filters.lt("created", 5))));
            assertEquals(List.of(), ids(jobs, Filters.and(Filters.eq("status", "running"), Filters.lt("created", 1))));
            assertEquals(List.of("c", "b", "a"), ids(jobs, Filters.in("status", List.of("queued", "running", "succeeded"))));
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.insertOne(job("e", "queued", 5)));

            assertEquals(List.of("e", "b"), ids(jobs, Filters.eq("status", "queued")));
            assertEquals(List.of(), ids(jobs, Filters.eq("status", "gone")));
        }
    }

    @Test
    void anIndexCreatedOnACollectionWithDocumentsIndexesThem() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.insertMany(List.of(job("a", "queued", 1), job("b", "running", 2))));
            block(jobs.createIndex(BY_STATUS));

            assertEquals(List.of("a"), ids(jobs, Filters.eq("status", "queued")));
        }
    }

    /**
     * A document that cannot be decoded and is in no index sits beside the indexed ones: a scan fails on it, a
     * query the index answers never reads it.
     */
    @Test
    void aQueryTheIndexAnswersReadsNoOtherDocument() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(BY_STATUS));
            block(jobs.insertMany(List.of(job("a", "queued", 1), job("b", "running", 2))));
        }
        try (StoreFile store = StoreFile.open(file)) {
            StoreMaps.documents(store.mvStore(), "d.jobs").put(BsonBytes.key("unreadable"), new byte[] {1, 2, 3});
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            assertThrows(MongoException.class, () -> ids(jobs, Filters.lt("created", 10)), "a scan reads the unreadable document");

            assertEquals(List.of("a"), ids(jobs, Filters.and(Filters.eq("status", "queued"), Filters.lt("created", 10))));
        }
    }

    private static List<String> ids(MongoCollection<Document> jobs, Bson filter) {
        return Flux.from(jobs.find(filter).sort(Sorts.descending("created", "_id"))).map(d -> d.getString("_id"))
                .collectList().block(TIMEOUT);
    }

    private static MongoCollection<Document> jobs(MongoClient client) {
        return client.getDatabase("d").getCollection("jobs");
    }

    private static Document job(String id, String status, long created) {
        return new Document("_id", id).append("status", status).append("created", created);
    }

    private static <T> T block(org.reactivestreams.Publisher<T> publisher) {
        return Mono.from(publisher).block(TIMEOUT);
    }
}
