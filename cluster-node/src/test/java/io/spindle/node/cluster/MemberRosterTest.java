package io.spindle.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/** The live members in a real Redis: renewed entries stay, entries not renewed run out on Redis's clock, a leaver goes at once. */
class MemberRosterTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static final String CONTROL = "pekko://spindle@10.0.0.1:25520";
    private static final String GPU = "pekko://spindle@10.0.0.2:25520";
    private static final String KEY = "spindle:cluster:members-test";
    private static RedissonClient client;
    private MemberRoster roster;

    @BeforeAll
    static void connect() {
        client = RedisClients.create(ConfigFactory.load(), REDIS.uri(), REDIS.password());
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @BeforeEach
    void emptyRoster() {
        client.getKeys().delete(KEY);
        roster = new MemberRoster(client, KEY);
    }

    @Test
    void aMemberThatStopsRenewingRunsOutWhileOneThatRenewsStays() throws Exception {
        get(roster.renew(CONTROL, Duration.ofMillis(600)));
        get(roster.renew(GPU, Duration.ofMillis(600)));
        assertEquals(List.of(CONTROL, GPU), sorted(get(roster.live())));

        for (int i = 0; i < 6; i++) {
            Thread.sleep(200);
            get(roster.renew(GPU, Duration.ofMillis(600)));
        }
        assertEquals(List.of(GPU), get(roster.live()), "the control node stopped renewing 1.2 s ago");
    }

    @Test
    void aMemberLeavingOnPurposeIsGoneAtOnce() throws Exception {
        get(roster.renew(CONTROL, Duration.ofSeconds(30)));
        get(roster.renew(GPU, Duration.ofSeconds(30)));

        get(roster.remove(CONTROL));

        assertEquals(List.of(GPU), get(roster.live()));
    }

    @Test
    void anEmptyRosterHasNoMembers() throws Exception {
        assertEquals(List.of(), get(roster.live()));
    }

    private static List<String> sorted(List<String> members) {
        return members.stream().sorted().toList();
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
