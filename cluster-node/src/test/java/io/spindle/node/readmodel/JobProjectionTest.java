package io.spindle.node.readmodel;

import static io.spindle.model.testsupport.StoreFixtures.T0;
import static io.spindle.model.testsupport.StoreFixtures.await;
import static io.spindle.model.testsupport.StoreFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.reactivestreams.client.MongoDatabase;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.json.Json;
import io.spindle.model.testsupport.StoreFixtures;
import io.spindle.node.dev.EmbeddedMongo;
import io.spindle.node.metrics.SpindleMetrics;
import io.spindle.node.persistence.MongoReadJournal;
import io.spindle.node.persistence.SharedMongoClient;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * The projection end to end: job events persisted by real event-sourced actors into the Mongo
 * journal (serialized by jackson-json), read back through the Mongo read journal's tag query, and
 * folded into the {@code jobs} collection of the Mongo job view store, its offset in {@code projection_offsets}.
 */
class JobProjectionTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();

    private static final int JOBS = 40;
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);

    private ActorTestKit kit;
    private MongoJobViewStore views;
    private MongoProjectionOffsetStore offsets;
    private JobProjectionSettings settings;
    private final Map<String, ActorRef<JobEventLog.Append>> logs = new LinkedHashMap<>();
    private final Map<String, List<JobEvent>> written = new LinkedHashMap<>();

    @BeforeEach
    void startNode() {
        kit = ActorTestKit.create(ConfigFactory.parseString("""
                        pekko.actor.serialization-bindings { "io.spindle.model.job.JobEvent" = jackson-json }
                        pekko.actor.allow-java-serialization = off
                        spindle.persistence.query.poll-interval = 50ms
                        """)
                // A short server selection timeout lets the outage test fail and recover quickly.
                .withValue("spindle.mongo.uri", ConfigValueFactory.fromAnyRef(MONGO.uri() + "/?serverSelectionTimeoutMS=1000"))
                .withValue("spindle.mongo.database", ConfigValueFactory.fromAnyRef(MongoServerExtension.freshDatabaseName()))
                .withFallback(ConfigFactory.load()));
        MongoDatabase database = SharedMongoClient.get(kit.system()).database();
        views = await(MongoJobViewStore.start(database));
        offsets = await(MongoProjectionOffsetStore.start(database));
        settings = JobProjectionSettings.fromConfig(kit.system().settings().config())
                .withBatch(7, Duration.ofMillis(20))
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertEquals(MongoReadJournal.IDENTIFIER, settings.readJournalPluginId(), "the node's default read journal");
    }

    @AfterEach
    void stopNode() {
        kit.shutdownTestKit();
    }

    @Test
    void projectionStoppedMidStreamAndRestartedEqualsTheFoldOfEachJob() {
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), views, offsets, settings);
        writeRounds(histories, 0, 3);
        awaitOffsetAbove(0);
        await(projection.stop());
        long stoppedAt = await(offsets.offset(settings.offsetName())).orElseThrow();

        writeRounds(histories, 3, Integer.MAX_VALUE); // written while no projection runs
        projection = JobProjection.start(kit.system(), views, offsets, settings);
        awaitViews(folds(written));
        assertTrue(await(offsets.offset(settings.offsetName())).orElseThrow() > stoppedAt);
        await(projection.stop());
    }

    @Test
    void replayFromAnOlderOffsetAppliesNoEventTwice() {
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), views, offsets, settings);
        writeRounds(histories, 0, Integer.MAX_VALUE);
        awaitViews(folds(written));
        await(projection.stop());

        long caughtUp = await(offsets.offset(settings.offsetName())).orElseThrow();
        await(offsets.saveOffset(settings.offsetName(), 0)); // every event comes again
        projection = JobProjection.start(kit.system(), views, offsets, settings);
        awaitOffsetAbove(caughtUp - 1);
        // One more event per job after the replay proves the views moved on from exactly the right revision.
        for (String id : histories.keySet()) {
            append(id, List.of(new JobEvent.CancelRequested(id, "after replay", T0.plusSeconds(600))));
        }
        awaitViews(folds(written));
        await(projection.stop());
    }

    @Test
    void missingOrStaleViewIsRebuiltFromTheJobsHistory() {
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), views, offsets, settings);
        writeRounds(histories, 0, Integer.MAX_VALUE);
        awaitViews(folds(written));
        await(projection.stop());

        // As if the views had been lost or had fallen behind: the next event then skips ahead of them. (A running
        // projection would fold it onto the view it keeps from its own last write.)
        var jobs = SharedMongoClient.get(kit.system()).database().getCollection(MongoJobViewStore.JOBS, BsonDocument.class);
        Mono.from(jobs.deleteOne(new BsonDocument("_id", new BsonString("j01")))).block();
        Job firstOnly = Job.submitted((JobEvent.Submitted) written.get("j02").get(0));
        Mono.from(jobs.replaceOne(new BsonDocument("_id", new BsonString("j02")), MongoJobViewStore.document(firstOnly))).block();
        projection = JobProjection.start(kit.system(), views, offsets, settings);
        for (String id : List.of("j01", "j02", "j03")) {
            append(id, List.of(new JobEvent.CancelRequested(id, "late", T0.plusSeconds(700))));
        }
        awaitViews(folds(written));
        await(projection.stop());
    }

    @Test
    void aJobsNextEventsAreFoldedOntoTheViewTheProjectionWroteWithoutReadingItBack() {
        ViewReads reads = new ViewReads(views);
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), reads, offsets, settings);
        writeRounds(histories, 0, 1);
        awaitViews(folds(written));
        int readBefore = reads.ids().size();

        writeRounds(histories, 1, Integer.MAX_VALUE);
        awaitViews(folds(written));
        assertEquals(List.of(), reads.ids().subList(readBefore, reads.ids().size()), "views read back after they were written");
        await(projection.stop());

        // A new run keeps nothing: it reads the views it folds onto.
        for (String id : List.of("j01", "j02")) {
            append(id, List.of(new JobEvent.CancelRequested(id, "after a restart", T0.plusSeconds(800))));
        }
        int readBeforeRestart = reads.ids().size();
        projection = JobProjection.start(kit.system(), reads, offsets, settings);
        awaitViews(folds(written));
        List<String> readAfterRestart = reads.ids().subList(readBeforeRestart, reads.ids().size());
        assertTrue(readAfterRestart.containsAll(List.of("j01", "j02")), "read after the restart: " + readAfterRestart);
        await(projection.stop());
    }

    @Test
    void aViewTheStoreRefusesIsRecordedAndSkippedAndLaterJobsStillAppear() {
        ProjectionFailures failures = ProjectionFailures.get(kit.system());
        long failedBefore = failures.count();
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), views, offsets, settings);
        writeRounds(histories, 0, 1);
        // Straight into the journal, past the gateway's limits: BSON cannot hold a NUL in a key.
        ObjectNode unstorable = Json.object();
        unstorable.putObject("nested").put("\u0000", 1);
        JobEvent.Submitted bad = new JobEvent.Submitted("bad", JobSpec.of("cpu.echo", "cfg-0", unstorable), 1, null, T0);
        append("bad", List.of(bad));
        writeRounds(histories, 1, Integer.MAX_VALUE);
        append("bad", List.of(new JobEvent.Canceled("bad", "user", T0.plusSeconds(1))));

        Map<String, Job> expected = folds(written);
        expected.remove("bad");
        awaitViews(expected);
        assertTrue(await(views.jobs(List.of("bad"))).isEmpty(), "the refused view is not stored");
        assertTrue(failures.count() > failedBefore, "the refusal is counted");
        ProjectionFailures.Skipped last = failures.last().orElseThrow();
        assertEquals("bad", last.jobId());
        assertTrue(last.error().contains("null character"), last.error());
        assertTrue(SpindleMetrics.get(kit.system()).scrape().contains(ProjectionFailures.METRIC + "_total"), "exposed in /metrics");

        // And the projection stays current: a job submitted afterwards appears.
        append("after", List.of(submitted("after", "image.generate", "cfg-0", T0.plusSeconds(5))));
        expected.put("after", folds(Map.of("after", written.get("after"))).get("after"));
        awaitViews(expected);
        await(projection.stop());
    }

    @Test
    void projectionResumesFromItsOffsetAfterADatabaseOutage() {
        Map<String, List<JobEvent>> histories = histories();
        JobProjection projection = JobProjection.start(kit.system(), views, offsets, settings);
        writeRounds(histories, 0, 2);
        awaitViews(folds(written));

        // Down long enough that the projection's polls fail (the driver retries a read once), then
        // back on the same port and data file: the projection must restart from its stored offset.
        int port = MONGO.port();
        MONGO.stop();
        awaitFailure();
        EmbeddedMongo revived = EmbeddedMongo.start(MONGO.dataFile(), "127.0.0.1", port);
        try {
            awaitReachable();
            writeRounds(histories, 2, Integer.MAX_VALUE);
            awaitViews(folds(written));
            await(projection.stop());
        } finally {
            revived.close();
            MONGO.restart(); // on a fresh port, for the tests that follow
        }
    }

    // ---- writing events through the persistent actors

    /**
     * Each job's history: submitted, then one of four paths; several events of a step go in one
     * persistAll so the journal holds both single and multi-event writes.
     */
    private static Map<String, List<JobEvent>> histories() {
        Map<String, List<JobEvent>> histories = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
            String id = String.format("j%02d", i);
            Instant t = T0.plusMillis(i).plusNanos(i);
            List<JobEvent> h = new ArrayList<>();
            h.add(submitted(id, i % 2 == 0 ? "image.generate" : "audio.tts", "cfg-" + (i % 3), t));
            JobError oom = JobError.transientError("oom", "out of memory");
            switch (i % 4) {
                case 0 -> {
                    h.add(new JobEvent.Leased(id, 1, "node-a", "w1", t.plusSeconds(60), t.plusSeconds(1)));
                    h.add(new JobEvent.Started(id, 1, t.plusSeconds(2)));
                    ObjectNode outputs = Json.object().put("seed", 1234567890123L).put("score", 0.75);
                    outputs.putArray("frames").add(1).add(2);
                    h.add(new JobEvent.Succeeded(id, 1, outputs, List.of(id + "-a1", id + "-a2"), t.plusSeconds(3)));
                }
                case 1 -> {
                    h.add(new JobEvent.Leased(id, 1, "node-a", "w1", t.plusSeconds(60), t.plusSeconds(1)));
                    h.add(new JobEvent.Started(id, 1, t.plusSeconds(2)));
                    h.add(new JobEvent.RetryScheduled(id, 1, oom, t.plusSeconds(10), t.plusSeconds(3)));
                    h.add(new JobEvent.Leased(id, 2, "node-b", "w2", t.plusSeconds(80), t.plusSeconds(11)));
                    h.add(new JobEvent.Started(id, 2, t.plusSeconds(12)));
                    h.add(new JobEvent.Failed(id, 2, JobError.permanent("bad_input", "no such voice"), t.plusSeconds(13)));
                }
                case 2 -> h.add(new JobEvent.Canceled(id, "user", t.plusSeconds(1)));
                default -> {
                    h.add(new JobEvent.Leased(id, 1, "node-a", "w1", t.plusSeconds(60), t.plusSeconds(1)));
                    h.add(new JobEvent.DeadLettered(id, 1, oom, t.plusSeconds(61)));
                    h.add(new JobEvent.Requeued(id, t.plusSeconds(62)));
                }
            }
            histories.put(id, h);
        }
        return histories;
    }

    /**
     * Writes rounds {@code from} until {@code to} of every job's history, jobs interleaved: round r
     * is the job's r-th step, where every third job persists its remaining events of a round in pairs.
     */
    private void writeRounds(Map<String, List<JobEvent>> histories, int from, int to) {
        for (int round = from; round < to; round++) {
            List<CompletionStage<Done>> acks = new ArrayList<>();
            for (Map.Entry<String, List<JobEvent>> job : histories.entrySet()) {
                List<List<JobEvent>> steps = steps(job.getKey(), job.getValue());
                if (round < steps.size()) {
                    acks.add(appendAsync(job.getKey(), steps.get(round)));
                }
            }
            if (acks.isEmpty()) {
                return;
            }
            acks.forEach(StoreFixtures::await);
        }
    }

    private static List<List<JobEvent>> steps(String id, List<JobEvent> history) {
        int size = Integer.parseInt(id.substring(1)) % 3 == 0 ? 2 : 1;
        List<List<JobEvent>> steps = new ArrayList<>();
        for (int i = 0; i < history.size(); i += size) {
            steps.add(history.subList(i, Math.min(history.size(), i + size)));
        }
        return steps;
    }

    private void append(String jobId, List<JobEvent> events) {
        await(appendAsync(jobId, events));
    }

    private CompletionStage<Done> appendAsync(String jobId, List<JobEvent> events) {
        ActorRef<JobEventLog.Append> log = logs.computeIfAbsent(jobId, id -> kit.spawn(JobEventLog.create(id), "job-" + id));
        written.computeIfAbsent(jobId, id -> new ArrayList<>()).addAll(events);
        return AskPattern.ask(log, (ActorRef<Done> reply) -> new JobEventLog.Append(List.copyOf(events), reply),
                StoreFixtures.TIMEOUT, kit.scheduler());
    }

    // ---- expectations

    /** What the read model must hold: each job's events folded in order. */
    private static Map<String, Job> folds(Map<String, List<JobEvent>> histories) {
        Map<String, Job> views = new LinkedHashMap<>();
        histories.forEach((id, events) -> {
            Job view = Job.submitted((JobEvent.Submitted) events.get(0));
            for (JobEvent e : events.subList(1, events.size())) {
                view = view.apply(e);
            }
            views.put(id, view);
        });
        return views;
    }

    private void awaitViews(Map<String, Job> expected) {
        Map<String, Job> actual = Map.of();
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (System.nanoTime() < deadline) {
            actual = await(views.jobs(expected.keySet()));
            if (actual.equals(expected)) {
                return;
            }
            pause();
        }
        for (String id : expected.keySet()) {
            assertEquals(expected.get(id), actual.get(id), "view of " + id);
        }
        assertEquals(expected, actual);
    }

    private void awaitOffsetAbove(long offset) {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (await(offsets.offset(settings.offsetName())).orElse(-1L) > offset) {
                return;
            }
            pause();
        }
        throw new AssertionError("projection offset did not pass " + offset + " within " + CONVERGENCE);
    }

    private void awaitFailure() {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                offsets.offset(settings.offsetName()).toCompletableFuture().get();
                pause();
            } catch (Exception expected) {
                return;
            }
        }
        throw new AssertionError("the offset store still answered with its server stopped");
    }

    private void awaitReachable() {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                offsets.offset(settings.offsetName()).toCompletableFuture().get();
                return;
            } catch (Exception stillDown) {
                pause();
            }
        }
        throw new AssertionError("the offset store did not answer within " + CONVERGENCE + " of the server's restart");
    }

    private static void pause() {
        try {
            CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(POLL.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
