package io.spindle.node.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.QueueTicket;
import io.spindle.model.queue.RecordingJobQueue;
import io.spindle.node.testsupport.LoopbackCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JobEntity behind Cluster Sharding on a one-node cluster, reached by EntityRef asks, journaled in memory. */
class JobShardingTest {
    private static final Config CONFIG = LoopbackCluster.config("""
            spindle.jobs.passivate-after = 300ms
            """)
            .withFallback(PersistenceTestKitPlugin.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config());
    private static final ActorTestKit testKit = ActorTestKit.create("JobShardingTest", CONFIG);
    private static final RecordingJobQueue queue = new RecordingJobQueue();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @BeforeAll
    static void formClusterAndStartSharding() {
        Cluster cluster = Cluster.get(testKit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        JobEntity.init(testKit.system(), queue, JobSettings.create(testKit.system()));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void aJobRunsToSuccessThroughEntityRefsAndItsTerminalEntityPassivates() throws Exception {
        String id = JobIds.newId();
        String other = JobIds.newId();

        Job submitted = ask(id, r -> new JobEntity.Submit(JobEntityFixture.SPEC, 1, null, r));
        ask(other, r -> new JobEntity.Submit(JobEntityFixture.SPEC, 1, null, r));
        assertEquals(JobStatus.QUEUED, submitted.status());
        assertTrue(queue.tickets().contains(new QueueTicket(id, "cfg-a", JobEntityFixture.SPEC.priority(), 1)));
        Job leased = ask(id, r -> new JobEntity.AcquireLease("node-a", "w1", Duration.ofMinutes(1), r));
        ask(id, r -> new JobEntity.Start("node-a", "w1", leased.attempt(), r));
        ask(id, r -> new JobEntity.Heartbeat("node-a", "w1", leased.attempt(), null, r));
        Job done = ask(id, r -> new JobEntity.Complete("node-a", "w1", 1, Json.object().put("text", "ok"), List.of("a1"), r));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(done, ask(id, JobEntity.Get::new));
        List<Object> journal = PersistenceTestKit.create(testKit.system()).persistedInStorage(JobEntity.persistenceId(id).id());
        assertEquals(List.of(JobEvent.Submitted.class, JobEvent.Leased.class, JobEvent.Started.class, JobEvent.Succeeded.class),
                journal.stream().map(Object::getClass).toList());

        awaitPassivated(id);
        assertTrue(hosted(other), "a queued job stays in memory");
        assertEquals(done, ask(id, JobEntity.Get::new), "a passivated job is recovered from the journal on demand");
    }

    @Test
    void aRejectionComesBackAsATypedReply() throws Exception {
        JobReply reply = JobEntity.entityRef(testKit.system(), JobIds.newId())
                .ask(JobEntity.Get::new, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(ErrorCode.JOB_NOT_FOUND, assertInstanceOf(JobReply.Rejected.class, reply).error().code());
    }

    @Test
    void shardingNeitherRemembersNorIdlePassivatesJobEntities() {
        ClusterShardingSettings settings = ClusterShardingSettings.create(testKit.system());

        assertFalse(settings.rememberEntities(), "no journal write per job start and stop: the outbox sweeper wakes jobs");
        assertFalse(settings.passivationStrategySettings().idleEntitySettings().isDefined(), "waiting jobs keep their timers");
    }

    private static Job ask(String id, Function<ActorRef<JobReply>, JobEntity.Command> command) throws Exception {
        JobReply reply = JobEntity.entityRef(testKit.system(), id).ask(command::apply, TIMEOUT)
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return reply.orThrow();
    }

    private static boolean hosted(String id) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe = testKit.createTestProbe();
        ClusterSharding.get(testKit.system()).shardState().tell(new GetShardRegionState(JobEntity.ENTITY_KEY, probe.ref()));
        return probe.receiveMessage(TIMEOUT).getShards().stream().anyMatch(s -> s.getEntityIds().contains(id));
    }

    private static void awaitPassivated(String id) {
        testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertFalse(hosted(id), "job " + id + " is still hosted");
            return null;
        });
    }
}
