package io.spindle.gateway.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.testsupport.LoopbackCluster;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real cluster members in this JVM; the management server of the first one, reached with a plain
 * HTTP client: members and member detail, shard regions, leave and down, all behind the API token.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementServerTest {
    private static final String TOKEN = "management-test-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final EntityTypeKey<String> PROBE = EntityTypeKey.create(String.class, "Probe");
    private static final Config CONFIG = LoopbackCluster.config("""
            pekko.cluster.seed-nodes = []
            pekko.coordinated-shutdown.terminate-actor-system = on
            """).withFallback(ConfigFactory.load());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<ActorTestKit> kits = new ArrayList<>();
    private static ManagementServer server;
    private static URI base;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startCluster() throws Exception {
        for (int i = 0; i < 3; i++) {
            ActorTestKit kit = ActorTestKit.create("spindle", CONFIG);
            kits.add(kit);
            Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kits.get(0).system()).selfMember().address()));
            ClusterSharding.get(kit.system()).init(Entity.of(PROBE, ctx -> Behaviors.ignore()));
        }
        // Up in every member's own view, not only the first one's: a member learns it is Up by gossip, later.
        awaitCondition(() -> kits.stream().allMatch(kit -> StreamSupport.stream(Cluster.get(kit.system()).state().getMembers()
                .spliterator(), false).filter(m -> m.status() == MemberStatus.up()).count() == kits.size()), "all members up everywhere");
        ClusterSharding.get(system(0)).entityRefFor(PROBE, "probe-1").tell("hello");
        ManagementSettings settings = ManagementSettings.fromConfig(system(0).settings().config()).withPort(0).withApiToken(TOKEN);
        InetSocketAddress bound = (server = new ManagementServer(system(0), settings)).start().toCompletableFuture()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        base = URI.create("http://127.0.0.1:" + bound.getPort());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (server != null) {
            server.stop().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (ActorTestKit kit : kits) {
            ActorTestKit.shutdown(kit.system(), TIMEOUT, false);
        }
    }

    @Test
    void everyRequestNeedsTheApiToken() throws Exception {
        assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/cluster/members")).GET(), null).statusCode());
        assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/cluster/members")).GET(), "wrong-token").statusCode());
        assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/cluster/members/" + hostPort(1)))
                .method("PUT", form("operation=Down")), null).statusCode());
        assertEquals(MemberStatus.up(), Cluster.get(system(1)).selfMember().status(), "a refused down changes nothing");
    }

    @Test
    void membersListsEveryMemberAndMemberDetailOne() throws Exception {
        JsonNode members = json(get("/cluster/members"));
        assertEquals(3, members.get("members").size(), members.toString());
        assertEquals(Cluster.get(system(0)).selfMember().address().toString(), members.get("selfNode").asText());
        JsonNode one = json(get("/cluster/members/" + hostPort(2)));
        assertEquals(Cluster.get(system(2)).selfMember().address().toString(), one.get("node").asText());
        assertEquals("Up", one.get("status").asText());
    }

    @Test
    void shardsNamesTheRegionsOfAnEntityType() throws Exception {
        JsonNode shards = json(get("/cluster/shards/Probe"));
        assertTrue(shards.get("regions").size() >= 1, shards.toString());
        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/cluster/shards/NoSuchType")).GET(), TOKEN).statusCode());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void leaveAndDownRemoveMembers() throws Exception {
        // Kept in one test: each removes a member of the shared cluster for good (the others look at all three).
        HttpResponse<String> leave = send(HttpRequest.newBuilder(base.resolve("/cluster/members/" + hostPort(1))).DELETE(), TOKEN);
        assertEquals(200, leave.statusCode(), leave.body());
        awaitCondition(() -> system(1).whenTerminated().isCompleted(), "the member that left stops");

        HttpResponse<String> down = send(HttpRequest.newBuilder(base.resolve("/cluster/members/" + hostPort(2)))
                .method("PUT", form("operation=Down")), TOKEN);
        assertEquals(200, down.statusCode(), down.body());
        awaitCondition(() -> system(2).whenTerminated().isCompleted(), "the downed member stops");
        awaitCondition(() -> json(get("/cluster/members")).get("members").size() == 1, "only the first member is left");
        assertEquals(Set.of(Cluster.get(system(0)).selfMember().address().toString()),
                Set.of(json(get("/cluster/members")).get("members").get(0).get("node").asText()));
    }

    private static ActorSystem<?> system(int i) {
        return kits.get(i).system();
    }

    /** How Pekko Management names a member in a path: {@code system@host:port}, without the protocol. */
    private static String hostPort(int i) {
        return Cluster.get(system(i)).selfMember().address().hostPort();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).GET(), TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static HttpRequest.BodyPublisher form(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b, String token) throws Exception {
        b.header("Content-Type", "application/x-www-form-urlencoded");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what);
            }
            Thread.sleep(100);
        }
    }
}
