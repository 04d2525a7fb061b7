package io.spindle.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.spindle.node.testsupport.LoopbackCluster;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node is ready for entity requests only once its shard regions are registered with their coordinators. */
class ShardingReadinessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Config CONFIG = LoopbackCluster.config("""
            pekko.cluster.sharding.healthcheck.names = ["Probe"]
            """);
    private static final EntityTypeKey<String> PROBE = EntityTypeKey.create(String.class, "Probe");

    private final ActorTestKit kit = ActorTestKit.create("ShardingReadinessTest", CONFIG);

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void notReadyBeforeTheRegionRegistersThenReadyOnceItHas() {
        ShardingReadiness readiness = new ShardingReadiness(kit.system());
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });

        assertFalse(readiness.await(Duration.ofMillis(500)), "no region of the checked name runs yet");

        ClusterSharding.get(kit.system()).init(Entity.of(PROBE, context -> Behaviors.ignore()));
        assertTrue(readiness.await(TIMEOUT), "the region registers with the coordinator of the one-node cluster");
    }

    @Test
    void notReadyWhileTheNodeHasNotJoinedAnyCluster() {
        ClusterSharding.get(kit.system()).init(Entity.of(PROBE, context -> Behaviors.ignore()));

        assertFalse(new ShardingReadiness(kit.system()).await(Duration.ofMillis(800)), "no coordinator without a cluster");
    }
}
