package io.spindle.node.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.TimeoutSettings;
import org.apache.pekko.coordination.lease.scaladsl.Lease;
import org.apache.pekko.coordination.lease.scaladsl.LeaseProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

class RedisLeaseTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final long WAIT_SECONDS = 10;
    private static ActorTestKit kit;
    private static RedissonClient client;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("lease-test");
        client = RedisClients.create(kit.system().settings().config(), REDIS.uri(), REDIS.password());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        kit.shutdownTestKit();
    }

    @Test
    void oneOwnerAtATimeAndAReleaseLetsTheNextIn() throws Exception {
        String name = "lease-" + UUID.randomUUID();
        RedisLease control = lease(name, "control", Duration.ofSeconds(30));
        RedisLease gpu = lease(name, "gpu", Duration.ofSeconds(30));

        assertTrue(get(control.acquire()));
        assertTrue(control.checkLease());
        assertTrue(get(control.acquire()), "the owner acquiring again keeps it");
        assertFalse(get(gpu.acquire()), "another owner is refused while it is held");
        assertFalse(gpu.checkLease());

        assertTrue(get(control.release()));
        assertFalse(control.checkLease());
        assertTrue(get(gpu.acquire()), "free after the release");
        assertFalse(get(control.release()), "releasing a lease held by another deletes nothing");
        assertTrue(gpu.checkLease());
        get(gpu.release());
    }

    @Test
    void anOwnerThatStopsRenewingLosesItToTheNextAfterTheTtl() throws Exception {
        String name = "lease-" + UUID.randomUUID();
        Duration ttl = Duration.ofMillis(1500);
        RedisLease survivor = lease(name, "survivor", ttl);
        // What a node killed while holding the lease leaves behind: its key, renewed by nobody.
        client.getBucket("spindle:lease:" + name).set("dead-node", ttl);

        assertFalse(get(survivor.acquire()));
        Thread.sleep(ttl.toMillis() + 500);
        assertTrue(get(survivor.acquire()), "the key expired with its TTL");
        get(survivor.release());
    }

    @Test
    void anOwnerWhoseKeyWasTakenLearnsItLostTheLease() throws Exception {
        String name = "lease-" + UUID.randomUUID();
        RedisLease owner = lease(name, "owner", Duration.ofSeconds(3));
        CountDownLatch lost = new CountDownLatch(1);
        assertTrue(get(owner.acquire(failure -> lost.countDown())));
        client.getBucket("spindle:lease:" + name).set("usurper");

        assertTrue(lost.await(WAIT_SECONDS, TimeUnit.SECONDS), "the next renewal finds another owner");
        assertFalse(owner.checkLease());
    }

    @Test
    void theSplitBrainResolversLeaseSettingLoadsTheRedisLease() throws Exception {
        ActorTestKit node = ActorTestKit.create("lease-provider-test",
                ConfigFactory.parseString(REDIS.config()).withFallback(ConfigFactory.load()));
        try {
            String name = "lease-" + UUID.randomUUID();
            Lease lease = LeaseProvider.get(node.system().classicSystem()).getLease(name, "spindle.cluster.lease", "node-a");
            assertTrue(lease instanceof RedisCoordinationLease, lease.getClass().getName());
            assertTrue((Boolean) scala.jdk.javaapi.FutureConverters.asJava(lease.acquire()).toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(lease.checkLease());
            assertFalse(get(lease(name, "node-b", Duration.ofSeconds(5)).acquire()), "the key is in the shared Redis");
        } finally {
            node.shutdownTestKit();
        }
    }

    /** A lease renewed every ttl/3, as Pekko's defaults are (120 s timeout, 12 s interval). */
    private static RedisLease lease(String name, String owner, Duration ttl) {
        Config timeouts = ConfigFactory.parseString("heartbeat-timeout = " + ttl.toMillis() + "ms\n"
                + "heartbeat-interval = " + ttl.dividedBy(3).toMillis() + "ms\nlease-operation-timeout = 5s");
        LeaseSettings settings = new LeaseSettings(name, owner, TimeoutSettings.apply(timeouts), timeouts);
        return new RedisLease(settings, (ExtendedActorSystem) kit.system().classicSystem(), client);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
