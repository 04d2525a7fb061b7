package io.spindle.node.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Which cluster members are alive, kept in the Redis every node shares: a sorted set of member addresses scored by
 * when each one's entry expires, on Redis's own clock (no clock of a node is compared with another's). Every Up member
 * renews its entry every {@code spindle.cluster.roster.interval}; a member that stops renewing (killed, frozen,
 * downed) drops out after {@code ttl}. A starting first seed node reads it before it may form a new cluster
 * ({@link ClusterJoin}): while other members are alive, a cluster exists and it must join that one.
 */
public final class MemberRoster {
    /** Redis's time in ms, then entries past it dropped: the shared preamble of both scripts. */
    private static final String NOW_AND_EXPIRE = """
            local t = redis.call('time')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('zremrangebyscore', KEYS[1], '-inf', now)
            """;
    private static final String RENEW = NOW_AND_EXPIRE + """
            redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('pexpire', KEYS[1], tonumber(ARGV[2]))
            return 1""";
    private static final String LIVE = NOW_AND_EXPIRE + """
            return redis.call('zrange', KEYS[1], 0, -1)""";

    private final RedissonClient redis;
    private final String key;

    /** The roster at {@code key} (spindle.cluster.roster.key): one per cluster, like the split-brain lease's key. */
    public MemberRoster(RedissonClient redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    /** Records {@code address} as alive for {@code ttl} from now (Redis time). */
    public CompletionStage<Void> renew(String address, Duration ttl) {
        return script().<Long>evalAsync(RScript.Mode.READ_WRITE, RENEW, RScript.ReturnType.INTEGER, List.of(key), address,
                Long.toString(ttl.toMillis())).thenApply(ignored -> null);
    }

    /** The addresses whose entries have not expired. */
    public CompletionStage<List<String>> live() {
        return script().<List<Object>>evalAsync(RScript.Mode.READ_WRITE, LIVE, RScript.ReturnType.MULTI, List.of(key))
                .thenApply(members -> members.stream().map(Object::toString).toList());
    }

    /** Drops {@code address} at once (a member leaving on purpose). */
    public CompletionStage<Void> remove(String address) {
        return redis.getScoredSortedSet(key, StringCodec.INSTANCE).removeAsync(address).thenApply(ignored -> null);
    }

    private RScript script() {
        return redis.getScript(StringCodec.INSTANCE);
    }
}
