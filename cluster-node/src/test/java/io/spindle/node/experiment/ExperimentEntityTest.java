package io.spindle.node.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasChange;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.experiment.ArmConfig;
import io.spindle.model.experiment.Budget;
import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ExperimentReport;
import io.spindle.model.experiment.ExperimentReports;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.Scorer;
import io.spindle.model.experiment.ShadowSpec;
import io.spindle.model.gate.Criterion;
import io.spindle.model.gate.Gate;
import io.spindle.model.gate.Verdict;
import io.spindle.model.job.JobSpec;
import io.spindle.model.experiment.SourceJob;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobOrigin;
import io.spindle.model.json.Json;
import io.spindle.model.queue.QueueTicket;
import io.spindle.model.queue.RecordingJobQueue;
import io.spindle.model.stats.Direction;
import io.spindle.node.alias.AliasEntity;
import io.spindle.node.alias.AliasReply;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobReply;
import io.spindle.node.job.JobSettings;
import io.spindle.node.persistence.MongoReadJournal;
import io.spindle.node.testsupport.LoopbackCluster;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ExperimentEntity behind sharding on a one-node cluster, journaled by the Mongo plugin on the real embedded Mongo-wire
 * server, with real JobEntities; the test is the worker: it takes the tickets the jobs enqueue and completes the jobs.
 */
class ExperimentEntityTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final String TTS = "tts-espeak";
    private static final String CANDIDATE = "tts-flite";
    private static final String EVAL = "eval-basic";
    private static final int MAX_CONCURRENT = 2;
    private static final Scorer DURATION = new Scorer("duration", "eval.duration_deviation", EVAL, 1, "duration_deviation",
            Direction.LOWER_IS_BETTER, Json.object().put("duration_ms", "${arm.outputs.duration_ms}")
                    .put("reference_ms", "${source.outputs.duration_ms}"), null);
    private static final Scorer EXACT = new Scorer("exact", "eval.exact_match", EVAL, 1, "exact_match",
            Direction.HIGHER_IS_BETTER, Json.object().put("output", "${arm.outputs.text}").put("reference", "${source.input.text}"), null);

    private static Config config(String database) {
        return LoopbackCluster.config("""
                spindle.mongo.uri = "%s"
                spindle.mongo.database = "%s"
                pekko.persistence.journal.plugin = "spindle.persistence.journal"
                pekko.persistence.snapshot-store.plugin = "spindle.persistence.snapshot"
                spindle.experiments.tick-interval = %dms
                """.formatted(MONGO.uri(), database, TICK.toMillis())).withFallback(ConfigFactory.load()).resolve();
    }

    /** A one-node cluster with job and experiment entities sharded, like a node after start-up. */
    private static final class Node implements AutoCloseable {
        final ActorTestKit kit;
        final RecordingJobQueue queue = new RecordingJobQueue();

        Node(String name, String database) {
            kit = ActorTestKit.create(name, config(database));
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                assertEquals(MemberStatus.up(), cluster.selfMember().status());
                return null;
            });
            JobEntity.init(kit.system(), queue, JobSettings.create(kit.system()));
            AliasEntity.init(kit.system());
            ExperimentEntity.init(kit.system(), ExperimentSettings.fromConfig(kit.system().settings().config()));
        }

        ActorSystem<Void> system() {
            return kit.system();
        }

        Experiment experiment(String id, Function<ActorRef<ExperimentReply>, ExperimentEntity.Command> command) {
            return ExperimentEntity.entityRef(system(), id).ask(command::apply, TIMEOUT).toCompletableFuture().join().orThrow();
        }

        Alias alias(String name, Function<ActorRef<AliasReply>, AliasEntity.Command> command) {
            return AliasEntity.entityRef(system(), name).ask(command::apply, TIMEOUT).toCompletableFuture().join().orThrow();
        }

        Job job(String id, Function<ActorRef<JobReply>, JobEntity.Command> command) {
            return JobEntity.entityRef(system(), id).ask(command::apply, TIMEOUT).toCompletableFuture().join().orThrow();
        }

        /** Runs a job to success as a worker would: lease, start, complete. */
        void complete(String jobId, ObjectNode outputs) {
            Job leased = job(jobId, r -> new JobEntity.AcquireLease("node-a", "w1", Duration.ofMinutes(1), r));
            job(jobId, r -> new JobEntity.Start("node-a", "w1", leased.attempt(), r));
            job(jobId, r -> new JobEntity.Complete("node-a", "w1", leased.attempt(), outputs, List.of(), r));
        }

        /** The outputs a stand-in worker gives: a TTS replay's duration (the candidate speaks 10 % longer), an eval's score. */
        ObjectNode outputsFor(Job job) {
            JobOrigin origin = job.origin();
            if (origin == null || origin.scorer() == null) {
                long base = 1000L + 100L * job.input().path("n").asLong();
                long duration = CANDIDATE.equals(job.configId()) ? base + base / 10 : base;
                return Json.object().put("duration_ms", duration).put("text", job.input().path("text").asText());
            }
            double value = "duration".equals(origin.scorer())
                    ? Math.abs(Math.log(job.input().path("duration_ms").asDouble() / job.input().path("reference_ms").asDouble()))
                    : 1.0;
            return Json.object().put("metric", origin.scorer()).put("value", value);
        }

        /** Job ids enqueued so far, in order (a job enqueued again after a recovery counts once). */
        List<String> enqueued() {
            return queue.tickets().stream().map(QueueTicket::jobId).distinct().toList();
        }

        @Override
        public void close() {
            kit.shutdownTestKit();
        }
    }

    private static List<SourceJob> sources(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new SourceJob("src-" + i, "audio.tts", TTS, 1,
                Json.object().put("text", "sentence " + i).put("n", i), "sha-" + i, Json.object().put("duration_ms", 1000L + 100L * i)
                        .put("text", "sentence " + i), List.of(), 40L)).toList();
    }

    private static ExperimentSpec spec(String id, List<Scorer> scorers) {
        return new ExperimentSpec(id, "flite against espeak", null, false, List.of(new ArmConfig("flite", CANDIDATE, 1)), 1, scorers,
                new Budget(100, MAX_CONCURRENT), null, null);
    }

    /**
     * Works like a pool of workers that finish jobs one at a time, checking before each that the experiment never has
     * more than max_concurrent jobs unfinished, until the experiment says it is complete.
     */
    private static Experiment runToCompletion(Node node, String id, Set<String> finished) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Experiment e = node.experiment(id, ExperimentEntity.Get::new);
            if (e.isComplete()) {
                return e;
            }
            List<String> open = node.enqueued().stream().filter(j -> !finished.contains(j)).toList();
            assertTrue(open.size() <= MAX_CONCURRENT, "unfinished experiment jobs " + open + " exceed max_concurrent");
            if (open.isEmpty()) {
                sleep(TICK);
                continue;
            }
            String next = open.get(0);
            Job job = node.job(next, JobEntity.Get::new);
            node.complete(next, node.outputsFor(job));
            finished.add(next);
        }
        throw new AssertionError("experiment " + id + " did not complete within " + TIMEOUT);
    }

    /** Waits until the experiment has enqueued {@code n} distinct jobs and gives it a few more ticks to enqueue more. */
    private static List<String> awaitSettledWindow(Node node, int n) {
        node.kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertEquals(n, node.enqueued().size());
            return null;
        });
        sleep(TICK.multipliedBy(5));
        return node.enqueued();
    }

    private static void sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every job the journal holds, by its origin: a job created twice for one origin would show up as two ids. */
    private static Map<JobOrigin, List<String>> jobsByOrigin(ActorSystem<?> system) {
        MongoReadJournal journal = PersistenceQuery.get(Adapter.toClassic(system)).getReadJournalFor(MongoReadJournal.class,
                MongoReadJournal.IDENTIFIER);
        List<EventEnvelope> events = journal.currentEventsByTag(JobEvent.TAG, Offset.noOffset()).runFold(new ArrayList<EventEnvelope>(),
                (all, e) -> {
                    all.add(e);
                    return all;
                }, system).toCompletableFuture().join();
        return events.stream().map(EventEnvelope::event).filter(JobEvent.Submitted.class::isInstance).map(JobEvent.Submitted.class::cast)
                .collect(Collectors.groupingBy(JobEvent.Submitted::origin, Collectors.mapping(JobEvent.Submitted::jobId, Collectors.toList())));
    }

    @Test
    void drivesReplaysWithinMaxConcurrentScoresEveryOutputAndRescoresWithoutReplaying() {
        String id = "exp-drive";
        try (Node node = new Node("ExperimentEntityTest", MongoServerExtension.freshDatabaseName())) {
            node.experiment(id, r -> new ExperimentEntity.Create(spec(id, List.of(DURATION)), sources(3), r));

            // Nothing finishes yet: the experiment holds exactly max_concurrent replays open, however many ticks pass.
            List<String> window = awaitSettledWindow(node, MAX_CONCURRENT);
            assertEquals(MAX_CONCURRENT, window.size(), "window " + window);
            for (String jobId : window) {
                Job job = node.job(jobId, JobEntity.Get::new);
                assertEquals(CANDIDATE, job.configId());
                assertEquals(1, job.priority(), "replays run in the low band");
                assertEquals(job.origin().sourceJob(), job.replayOf());
                assertEquals(Map.of("experiment", id, "arm", "flite"), job.labels());
            }

            Set<String> finished = new HashSet<>();
            Experiment done = runToCompletion(node, id, finished);
            assertEquals(3, done.runs().size());
            assertTrue(done.runs().values().stream().allMatch(r -> r.succeeded() && r.outputs().has("duration_ms")));
            // One score per output: the original's three recorded outputs and the candidate's three replays.
            assertEquals(6, done.scores().size());
            assertTrue(done.scores().values().stream().allMatch(s -> s.value() != null), () -> "scores " + done.scores());
            assertEquals(9, finished.size());

            ExperimentReport report = ExperimentReports.build(done);
            ExperimentReport.MetricComparison duration = report.comparisons().stream()
                    .filter(c -> c.reference().equals("original") && c.candidate().equals("flite")).findFirst().orElseThrow();
            assertEquals(3, duration.comparison().n());
            // The original scores 0 against itself; the candidate's deviation is ln 1.1 on every source (up to rounding).
            assertEquals(Math.log(1.1), duration.comparison().meanDelta(), 1e-3);
            assertEquals(3, duration.comparison().losses(), "lower is better: every candidate score is worse");
            assertNotNull(duration.comparison().meanDeltaInterval());

            // Rescoring adds scorer jobs over the outputs already there and no replay.
            Map<JobOrigin, List<String>> before = jobsByOrigin(node.system());
            node.experiment(id, r -> new ExperimentEntity.Rescore(List.of(EXACT), r));
            Experiment rescored = runToCompletion(node, id, finished);
            assertEquals(12, rescored.scores().size());
            assertEquals(done.runs(), rescored.runs(), "the replays' outputs are reused");
            Map<JobOrigin, List<String>> after = jobsByOrigin(node.system());
            assertEquals(replays(before), replays(after), "no new replay job");
            assertEquals(6, after.keySet().stream().filter(o -> "exact".equals(o.scorer())).count());
            assertTrue(after.values().stream().allMatch(ids -> ids.size() == 1), "one job per origin: " + after);
        }
    }

    private static Map<JobOrigin, List<String>> replays(Map<JobOrigin, List<String>> jobs) {
        return jobs.entrySet().stream().filter(e -> e.getKey().scorer() == null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void anExperimentInterruptedByANodeStopResumesOnANewNodeWithNoReplayLostOrRunTwice() {
        String id = "exp-restart";
        String database = MongoServerExtension.freshDatabaseName();
        int sourceCount = 5;
        Set<String> finished = new HashSet<>();
        List<String> inFlightAtStop;
        try (Node first = new Node("ExperimentEntityTestFirst", database)) {
            first.experiment(id, r -> new ExperimentEntity.Create(spec(id, List.of(DURATION)), sources(sourceCount), r));
            // Finish two replays, then stop the node while the next window is open and the rest not submitted yet.
            for (int i = 0; i < 2; i++) {
                String next = awaitSettledWindow(first, MAX_CONCURRENT + i).get(i);
                first.complete(next, first.outputsFor(first.job(next, JobEntity.Get::new)));
                finished.add(next);
            }
            List<String> enqueued = awaitSettledWindow(first, MAX_CONCURRENT + 2);
            inFlightAtStop = enqueued.stream().filter(j -> !finished.contains(j)).toList();
            assertEquals(MAX_CONCURRENT, inFlightAtStop.size());
            first.kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                assertEquals(2, first.experiment(id, ExperimentEntity.Get::new).runs().size());
                return null;
            });
        }

        try (Node second = new Node("ExperimentEntityTestSecond", database)) {
            // What SpindleNode does after start-up: wake every experiment found in the journal.
            ExperimentResumer.wakeAll(second.system(), MongoReadJournal.IDENTIFIER).toCompletableFuture().join();
            List<String> resumed = awaitSettledWindow(second, MAX_CONCURRENT);
            assertEquals(Set.copyOf(inFlightAtStop), Set.copyOf(resumed), "the new node picks up the jobs that were in flight");

            Experiment done = runToCompletion(second, id, finished);
            assertEquals(sourceCount, done.runs().size());
            assertEquals(2 * sourceCount, done.scores().size());

            Map<JobOrigin, List<String>> jobs = jobsByOrigin(second.system());
            assertTrue(jobs.values().stream().allMatch(ids -> ids.size() == 1), "one job per origin: " + jobs);
            assertEquals(sourceCount, jobs.keySet().stream().filter(o -> o.scorer() == null).count(), "every replay exactly once");
            assertEquals(2 * sourceCount, jobs.keySet().stream().filter(o -> o.scorer() != null).count(), "every score exactly once");
            assertEquals(Experiment.plannedJobs(done.spec(), sourceCount), jobs.size());
            assertEquals(jobs.size(), finished.size(), "every job was run once by the stand-in worker");
        }
    }

    @Test
    void aShadowMirrorsLiveJobsToTheCandidateAndAFailingGateStopsItOnTheAliasToo() {
        String id = "shadow-tts-prod";
        Gate gate = new Gate("no-slower", 3, List.of(new Criterion.NonInferiority("duration_deviation", null, 0.01)));
        AliasTarget flite = new AliasTarget(CANDIDATE, 1);
        try (Node node = new Node("ExperimentEntityShadowTest", MongoServerExtension.freshDatabaseName())) {
            node.alias("tts-prod", r -> new AliasEntity.Create(new AliasTarget(TTS, 1), "ana", "launch", r));
            ExperimentSpec spec = new ExperimentSpec(id, "shadow of tts-prod", null, false, List.of(new ArmConfig(AliasChange.SHADOW_ARM, CANDIDATE, 1)),
                    1, List.of(DURATION), new Budget(100, MAX_CONCURRENT), null, new ShadowSpec("tts-prod", gate, 100));
            node.experiment(id, r -> new ExperimentEntity.Create(spec, List.of(), r));
            Alias shadowing = node.alias("tts-prod", r -> new AliasEntity.StartShadow(new ShadowConfig(flite, 100, id, gate.name()), "ana",
                    "try flite", r));
            assertEquals(id, shadowing.shadow().experiment());

            // Live jobs on the alias, each mirrored as the gateway does at submit; the shadow replay runs beside the live job.
            List<String> live = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                int i = n;
                ObjectNode input = Json.object().put("text", "live " + i).put("n", i);
                JobSpec liveSpec = new JobSpec("audio.tts", TTS, input, 5, null, null, "live-" + i, Map.of());
                String jobId = io.spindle.node.job.JobIds.fromIdempotencyKey(TTS, "live-" + i);
                node.job(jobId, r -> new JobEntity.Submit(liveSpec, 1, null, null, r));
                live.add(jobId);
                node.experiment(id, r -> new ExperimentEntity.Mirror(new SourceJob(jobId, "audio.tts", TTS, 1, input, "sha-live-" + i, null,
                        List.of(), null), r));
            }
            node.kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                assertTrue(node.enqueued().stream().anyMatch(j -> !live.contains(j)), "a shadow replay while the live jobs wait");
                return null;
            });
            Set<String> finished = new HashSet<>();
            for (String jobId : live) {
                node.complete(jobId, node.outputsFor(node.job(jobId, JobEntity.Get::new)));
                finished.add(jobId);
            }

            // Shadow replays speak 10 % longer: once 3 pairs are scored the non-inferiority gate fails and stops the shadow.
            Experiment stopped = runToCompletion(node, id, finished);
            assertTrue(stopped.scores().size() >= 2 * gate.minPairs(), () -> "scores " + stopped.scores());
            Alias after = node.alias("tts-prod", AliasEntity.Get::new);
            node.kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
                Alias a = node.alias("tts-prod", AliasEntity.Get::new);
                assertEquals(null, a.shadow(), "the alias no longer mirrors");
                AliasChange last = a.history().get(a.history().size() - 1);
                assertEquals(List.of("shadow_stopped", id), List.of(last.kind(), last.evidence().experiment()));
                assertEquals(Verdict.FAIL, last.evidence().verdict());
                return null;
            });
            assertEquals(new AliasTarget(TTS, 1), after.target(), "the shadow never moved the alias");

            // A late mirror adds nothing to a stopped experiment.
            int sources = stopped.sources().size();
            Experiment late = node.experiment(id, r -> new ExperimentEntity.Mirror(new SourceJob("late", "audio.tts", TTS, 1,
                    Json.object().put("text", "late").put("n", 9), "sha-late", null, List.of(), null), r));
            assertEquals(sources, late.sources().size());
        }
    }
}
