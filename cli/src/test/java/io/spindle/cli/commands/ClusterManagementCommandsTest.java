package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.gateway.management.ManagementServer;
import io.spindle.gateway.management.ManagementSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spindle cluster members|member|shards|leave|down} against the real management server of a two-member
 * cluster in this JVM, with the API token.
 */
class ClusterManagementCommandsTest {
    private static final String TOKEN = "cli-management-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final EntityTypeKey<String> JOB = EntityTypeKey.create(String.class, ClusterShardsCommand.JOB_ENTITY_TYPE);
    private static final Config CONFIG = ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.cluster.seed-nodes = []
            pekko.coordinated-shutdown.run-by-actor-system-terminate = on
            """).withFallback(ConfigFactory.load());

    private final List<ActorTestKit> kits = new ArrayList<>();
    private ManagementServer server;
    private String url;

    @BeforeEach
    void startCluster() throws Exception {
        for (int i = 0; i < 2; i++) {
            ActorTestKit kit = ActorTestKit.create("spindle", CONFIG);
            kits.add(kit);
            Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kits.get(0).system()).selfMember().address()));
            ClusterSharding.get(kit.system()).init(Entity.of(JOB, ctx -> Behaviors.ignore()));
        }
        // Up in each member's own view: the second learns it is Up by gossip, after the first.
        await(() -> kits.stream().allMatch(kit -> StreamSupport.stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up()).count() == 2), "both members up everywhere");
        ManagementSettings settings = ManagementSettings.fromConfig(kits.get(0).system().settings().config())
                .withPort(0).withApiToken(TOKEN);
        server = new ManagementServer(kits.get(0).system(), settings);
        InetSocketAddress bound = server.start().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        url = "http://127.0.0.1:" + bound.getPort();
    }

    @AfterEach
    void stopCluster() throws Exception {
        server.stop().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (int i = kits.size() - 1; i >= 0; i--) {
            ActorTestKit.shutdown(kits.get(i).system(), TIMEOUT, false);
        }
    }

    @Test
    void membersMemberAndShardsPrintTheCluster() {
        ClusterSharding.get(kits.get(0).system()).entityRefFor(JOB, "job-1").tell("wake");
        String self = address(0);
        String other = address(1);

        String members = run("cluster", "members").assertOk().out();
        assertTrue(members.lines().findFirst().orElseThrow().startsWith("MEMBER"), members);
        assertTrue(members.contains(self + " *"), members);
        assertTrue(members.contains(other), members);
        assertEquals(3, members.lines().count(), members);

        String member = run("cluster", "member", other.substring("pekko://spindle@".length())).assertOk().out();
        assertTrue(member.contains("member:  " + other), member);
        assertTrue(member.contains("status:  Up"), member);

        await(() -> run("cluster", "shards").out().contains("1 entities on this node"), "the woken job's shard is listed");
        assertTrue(run("cluster", "shards", "--json").assertOk().out().contains("\"regions\""));
    }

    @Test
    void downRemovesAMemberAndAWrongTokenIsRefused() {
        Cli.Result refused = Cli.run("cluster", "down", address(1), "--management", url, "--token", "wrong");
        refused.assertFailed(ExitCodes.API_ERROR);
        assertEquals(MemberStatus.up(), Cluster.get(kits.get(1).system()).selfMember().status());

        run("cluster", "down", address(1)).assertOk();
        await(() -> kits.get(1).system().whenTerminated().isCompleted(), "the downed member stops");
        await(() -> !run("cluster", "members").out().contains(address(1)), "the downed member is gone from the list");
    }

    @Test
    void leaveStopsAMemberGracefully() {
        run("cluster", "leave", address(1)).assertOk();
        await(() -> kits.get(1).system().whenTerminated().isCompleted(), "the member that left stops");
        await(() -> run("cluster", "members").out().lines().count() == 2, "a header and the one member left");
    }

    @Test
    void anAddressThatIsNoMemberAddressIsAUsageError() {
        run("cluster", "leave", "not an address").assertFailed(ExitCodes.USAGE);
    }

    private String address(int i) {
        return Cluster.get(kits.get(i).system()).selfMember().address().toString();
    }

    private Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--management", url, "--token", TOKEN));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
