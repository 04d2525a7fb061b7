package io.spindle.node.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.model.store.InMemoryJobViewStore;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import io.spindle.node.job.JobReply;
import io.spindle.node.job.JobSettings;
import io.spindle.node.testsupport.LoopbackCluster;
import io.spindle.node.testsupport.MongoServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sharding remembers no entities, so after a node stops the entity of a job it had leased runs nowhere: here
 * a second node on the same journal gets no message for that job but the sweeper's, and the job must still come
 * back (its recovery re-arms the lease timer, the lease runs out, the job is queued and enqueued again).
 */
class OutboxSweeperWakeTest {
    @RegisterExtension
    static final MongoServerExtension MONGO = new MongoServerExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    private static final SweepSettings SWEEP = new SweepSettings(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(100), Duration.ofSeconds(1), 1000, 50, 4, "");

    private final InMemoryJobQueue queue = new InMemoryJobQueue();
    private final InMemoryJobViewStore views = new InMemoryJobViewStore();
    private final String database = MongoServerExtension.freshDatabaseName();

    @Test
    void aLeasedJobOfAStoppedNodeIsWokenBySweepsAndQueuedAgainWhenItsLeaseRunsOut() throws Exception {
        String configId = "wake-" + JobIds.newId().substring(0, 8);
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", configId, Json.object().put("n", 1)));
        String id = JobIds.newId();

        ActorTestKit first = startNode();
        try {
            ask(first, id, r -> new JobEntity.Submit(spec, 1, null, r));
            queue.ack(take(configId)).toCompletableFuture().get();
            Job leased = ask(first, id, r -> new JobEntity.AcquireLease("node-a", "w1", LEASE_TTL, r));
            views.putJobs(List.of(leased)).toCompletableFuture().get();
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = startNode();
        try {
            second.spawn(OutboxSweeper.create(views, SWEEP, TIMEOUT, Clock.systemUTC()));
            List<Delivery> again = take(configId);
            assertEquals(1, again.size(), "the job is enqueued again");
            assertEquals(2, again.get(0).ticket().attempt(), "as its second attempt, after the lease ran out");
            Job requeued = ask(second, id, JobEntity.Get::new);
            assertEquals(JobStatus.QUEUED, requeued.status());
        } finally {
            second.shutdownTestKit();
        }
    }

    private ActorTestKit startNode() {
        Config config = LoopbackCluster.config("""
                        spindle.jobs.lease.recovery-grace = 200ms
                        spindle.jobs.retry-backoff { base = 100ms, jitter = 0 }
                        """)
                .withValue("spindle.mongo.uri", ConfigValueFactory.fromAnyRef(MONGO.uri()))
                .withValue("spindle.mongo.database", ConfigValueFactory.fromAnyRef(database))
                .withFallback(ConfigFactory.load());
        ActorTestKit kit = ActorTestKit.create("OutboxSweeperWakeTest", config);
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        JobEntity.init(kit.system(), queue, JobSettings.create(kit.system()));
        return kit;
    }

    /** Waits for the config's next ticket(s), up to a lease TTL plus the time a few sweeps take. */
    private List<Delivery> take(String configId) throws Exception {
        Duration wait = LEASE_TTL.plus(TIMEOUT);
        return queue.take(configId, "test", 10, wait).toCompletableFuture().get(wait.toSeconds() + 1, TimeUnit.SECONDS);
    }

    private static Job ask(ActorTestKit kit, String id, Function<ActorRef<JobReply>, JobEntity.Command> command) throws Exception {
        return JobEntity.entityRef(kit.system(), id).ask(command::apply, TIMEOUT)
                .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).orThrow();
    }
}
