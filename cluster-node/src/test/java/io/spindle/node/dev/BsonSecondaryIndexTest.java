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
    private static final Bson NEWEST = Indexes.descending("created", "_id");

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

    /** An update writes only the entries it adds: those it keeps stay, those it drops go, through a restart. */
    @Test
    void anUpdateKeepingSomeOfAnArraysValuesFindsTheDocumentByEachValueItHolds() {
        Path file = dir.resolve("data.h2");
        Bson byLabel = Indexes.compoundIndex(Indexes.ascending("labels"), Indexes.descending("created", "_id"));
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(byLabel));
            block(jobs.insertMany(List.of(job("a", "queued", 1).append("labels", List.of("x", "y")),
                    job("b", "queued", 2).append("labels", List.of("y")))));
            block(jobs.updateOne(Filters.eq("_id", "a"), Updates.set("labels", List.of("y", "z"))));
            block(jobs.updateOne(Filters.eq("_id", "b"), Updates.set("status", "running")));

            assertEquals(List.of(), ids(jobs, Filters.eq("labels", "x")));
            assertEquals(List.of("b", "a"), ids(jobs, Filters.eq("labels", "y")));
            assertEquals(List.of("a"), ids(jobs, Filters.eq("labels", "z")));
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            assertEquals(List.of("b", "a"), ids(jobs, Filters.eq("labels", "y")));
            assertEquals(List.of("a"), ids(jobs, Filters.eq("labels", "z")));
            assertEquals(List.of(), ids(jobs, Filters.eq("labels", "x")));
        }
    }

    /** A field going from one value to an array of values, to nothing and back is found by what it holds at each step. */
    @Test
    void aFieldTurningFromAValueToAnArrayAndToNothingIsFoundByWhatItHolds() {
        Path file = dir.resolve("data.h2");
        Bson byLabel = Indexes.compoundIndex(Indexes.ascending("labels"), Indexes.descending("created", "_id"));
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(byLabel));
            block(jobs.insertMany(List.of(job("a", "queued", 1).append("labels", "x"), job("b", "queued", 2).append("labels", List.of("x", "y")),
                    job("c", "queued", 3), job("d", "queued", 4).append("labels", null))));
            assertEquals(List.of("b", "a"), ids(jobs, Filters.eq("labels", "x")));
            assertEquals(List.of("d", "c"), ids(jobs, Filters.eq("labels", null)));

            block(jobs.updateOne(Filters.eq("_id", "a"), Updates.set("labels", List.of("y"))));
            block(jobs.updateOne(Filters.eq("_id", "b"), Updates.set("labels", "y")));
            block(jobs.updateOne(Filters.eq("_id", "c"), Updates.set("labels", "x")));
            block(jobs.updateOne(Filters.eq("_id", "d"), Updates.unset("labels")));

            assertEquals(List.of("c"), ids(jobs, Filters.eq("labels", "x")));
            assertEquals(List.of("b", "a"), ids(jobs, Filters.eq("labels", "y")));
            assertEquals(List.of("d"), ids(jobs, Filters.eq("labels", null)));
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

    /**
     * A sorted page is read from the index in its order: with the documents that sort after the page unreadable,
     * the page (and the next one, asked for with a cursor filter) still comes back, ties at its end included,
     * while a query that needs them fails on them. A count of one status reads none of them.
     */
    @Test
    void aSortedPageReadsTheIndexInOrderAndNoDocumentAfterThePage() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(BY_STATUS));
            block(jobs.createIndex(NEWEST));
            for (int i = 1; i <= 40; i++) {
                block(jobs.insertOne(job(String.format("j%02d", i), i % 2 == 0 ? "queued" : "running", i)));
            }
            // Three queued jobs created at the same time as j30 (a tie across the second page's end).
            block(jobs.insertMany(List.of(job("t1", "queued", 30), job("t2", "queued", 30), job("t3", "queued", 30))));
        }
        try (StoreFile store = StoreFile.open(file)) {
            for (int i = 1; i <= 20; i++) { // the older half: unreadable, still indexed
                StoreMaps.documents(store.mvStore(), "d.jobs").put(BsonBytes.key(String.format("j%02d", i)), new byte[] {1, 2, 3});
            }
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            Bson queued = Filters.eq("status", "queued");
            assertEquals(List.of("j40", "j38", "j36"), page(jobs, queued, 3));
            // The next page, after j36, as the read model asks for it; it ends in the tie at 30, which comes whole.
            Bson after = Filters.or(Filters.lt("created", 36L), Filters.and(Filters.eq("created", 36L), Filters.lt("_id", "j36")));
            assertEquals(List.of("j34", "j32", "t3", "t2"), page(jobs, Filters.and(queued, after), 4));
            assertEquals(List.of("j40", "j38"), page(jobs, Filters.and(queued, Filters.gte("created", 37L)), 100),
                    "a lower bound on the sort key ends the walk before the unreadable documents");
            assertEquals(List.of("j39", "j37"), page(jobs, Filters.and(Filters.eq("status", "running"), Filters.gt("created", 35)), 2));
            assertThrows(MongoException.class, () -> page(jobs, queued, 100), "a page reaching the unreadable documents reads them");
            assertThrows(MongoException.class, () -> ids(jobs, queued), "without a limit every match is read");

            // Unfiltered, or filtered by a field without an index: the newest-first index, in its order.
            assertEquals(List.of("j40", "j39", "j38"), page(jobs, new Document(), 3));
            assertEquals(List.of("j35", "j34"), page(jobs, Filters.and(Filters.lt("created", 36L), Filters.gte("created", 34)), 100));
            assertEquals(List.of("j33", "j31"), page(jobs, Filters.and(Filters.eq("status", "running"), Filters.lt("created", 34L)), 2));
            assertThrows(MongoException.class, () -> page(jobs, new Document(), 100));
            // An integer first key is found by equality whatever the number's type, as the server compares numbers.
            assertEquals(List.of("t3", "t2", "t1", "j30"), ids(jobs, Filters.eq("created", 30L)));
            assertEquals(List.of("t3", "t2", "t1", "j30"), ids(jobs, Filters.eq("created", 30.0)));
            assertEquals(List.of("j31", "t3", "t2", "t1", "j30"), ids(jobs, Filters.in("created", List.of(30, 31L))));

            // Counting one status counts its index entries: no document is read, the unreadable ones included.
            assertEquals(23, count(client, new Document("status", "queued")));
            assertEquals(20, count(client, new Document("status", "running")));
            assertEquals(0, count(client, new Document("status", "gone")));
            assertThrows(MongoException.class, () -> count(client, new Document("status", "queued").append("created", new Document("$lt", 50L))),
                    "a count with another condition matches the documents");
        }
    }

    private static long count(MongoClient client, Document query) {
        Document reply = block(client.getDatabase("d").runCommand(new Document("count", "jobs").append("query", query)));
        return ((Number) reply.get("n")).longValue();
    }

    /**
     * Documents whose sort key is not an integer (or is missing) have no place in the index's order: every match of
     * their first-key value is read, and the server's sort puts them where MongoDB does (a missing key first, ascending).
     */
    @Test
    void aSortKeyThatIsNotAnIntegerFallsBackToReadingEveryMatch() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(BY_STATUS));
            block(jobs.insertMany(List.of(job("a", "queued", 1), job("b", "queued", 3), new Document("_id", "c").append("status", "queued")
                    .append("created", 2.5), new Document("_id", "d").append("status", "queued"), job("e", "running", 9))));

            assertEquals(List.of("b", "c"), page(jobs, Filters.eq("status", "queued"), 2));
            assertEquals(List.of("d", "a"), Flux.from(jobs.find(Filters.eq("status", "queued")).sort(Sorts.ascending("created", "_id")).limit(2))
                    .map(d -> d.getString("_id")).collectList().block(TIMEOUT));
            assertEquals(List.of("e"), page(jobs, Filters.eq("status", "running"), 2));
        }
    }

    /** A document whose sort key holds an array has an entry per element, and comes once, where the server sorts it. */
    @Test
    void aDocumentWithAnArrayOfSortValuesComesOnce() {
        try (EmbeddedMongo server = EmbeddedMongo.start(dir.resolve("data.h2")); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(NEWEST));
            block(jobs.insertMany(List.of(job("a", "queued", 2), new Document("_id", "b").append("created", List.of(1L, 5L)), job("c", "queued", 4))));

            assertEquals(List.of("b", "c", "a"), page(jobs, new Document(), 10));
            assertEquals(List.of("b", "a", "c"), Flux.from(jobs.find().sort(Sorts.ascending("created", "_id")).limit(10))
                    .map(d -> d.getString("_id")).collectList().block(TIMEOUT));
        }
    }

    /** An index map of the format before sort parts is dropped at start and the index filled again from the documents. */
    @Test
    void anIndexOfTheFormatBeforeIsRebuiltInOrder() {
        Path file = dir.resolve("data.h2");
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            block(jobs.createIndex(BY_STATUS));
            block(jobs.insertMany(List.of(job("a", "queued", 1), job("b", "queued", 2), job("c", "running", 3))));
        }
        String legacy;
        try (StoreFile store = StoreFile.open(file)) {
            String sorted = StoreMaps.indexesOf(store.mvStore(), "d.jobs").stream()
                    .filter(name -> name.endsWith(BsonDatabase.SORTED_FORMAT)).findFirst().orElseThrow();
            legacy = sorted.substring(0, sorted.length() - BsonDatabase.SORTED_FORMAT.length());
            store.mvStore().removeMap(sorted);
            // The old format: first-key value, then the document's key.
            org.h2.mvstore.MVMap<String, String> old = StoreMaps.index(store.mvStore(), "d.jobs", legacy.substring(legacy.indexOf('$') + 1));
            old.put(BsonBytes.key("queued") + BsonBytes.key("a"), BsonBytes.key("a"));
            old.put(BsonBytes.key("queued") + BsonBytes.key("b"), BsonBytes.key("b"));
            old.put(BsonBytes.key("running") + BsonBytes.key("c"), BsonBytes.key("c"));
        }
        try (EmbeddedMongo server = EmbeddedMongo.start(file); MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> jobs = jobs(client);
            assertEquals(List.of("b"), page(jobs, Filters.eq("status", "queued"), 1));
            assertEquals(List.of("c"), ids(jobs, Filters.eq("status", "running")));
        }
        try (StoreFile store = StoreFile.open(file)) {
            assertEquals(false, store.mvStore().hasMap(legacy), "the map of the format before is gone");
        }
    }

    private static List<String> page(MongoCollection<Document> jobs, Bson filter, int limit) {
        return Flux.from(jobs.find(filter).sort(Sorts.descending("created", "_id")).limit(limit)).map(d -> d.getString("_id"))
                .collectList().block(TIMEOUT);
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
