package io.spindle.node.cluster;

import io.spindle.node.queue.RedisClients;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease held in the Redis every node already shares (spindle.redis.uri): one key per lease
 * name whose value is the owner, set only when absent or already the owner's, with a TTL of
 * {@code heartbeat-timeout} that the owner renews every {@code heartbeat-interval}. The split-brain resolver's
 * {@code lease-majority} strategy uses it so the side of a partition that holds it survives — which lets a
 * two-node cluster keep its survivor (docs/decisions/0011-split-brain-lease-majority.md); Pekko reaches it through
 * {@link RedisCoordinationLease}.
 *
 * <p>The lease is lost when a renewal finds another owner, or when renewals fail (Redis unreachable) until the
 * TTL would have run out: {@link #checkLease()} turns false then, so the owner never believes it holds a key
 * that has expired in Redis.
 */
public final class RedisLease {
    private static final Logger log = LoggerFactory.getLogger(RedisLease.class);
    private static final String KEY_PREFIX = "spindle:lease:";
    /** Sets the key to the owner for ARGV[2] ms when it is absent or the owner's already; 1 when held. */
    private static final String ACQUIRE = """
            local v = redis.call('get', KEYS[1])
            if v == false or v == ARGV[1] then
              redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0""";
    private static final String RELEASE = """
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0""";

    private final LeaseSettings settings;
    private final ExtendedActorSystem system;
    private final Supplier<RedissonClient> redis;
    private final String key;
    private final Duration ttl;
    private final Duration renewEvery;
    /** While held: until when the key is surely ours (the last successful renewal + TTL), in nanoTime. */
    private final AtomicReference<Held> held = new AtomicReference<>();

    private record Held(long validUntilNanos, Cancellable renewal, Consumer<Optional<Throwable>> onLost) {}

    /**
     * A lease with its own Redis client on {@code spindle.redis}, shut down with the actor system. The client connects
     * on first use: the resolver creates its lease when the node starts, and a node must start while Redis is down.
     */
    static RedisLease create(LeaseSettings settings, ExtendedActorSystem system) {
        AtomicReference<RedissonClient> client = new AtomicReference<>();
        Runnable shutdown = () -> {
            RedissonClient c = client.get();
            if (c != null) {
                c.shutdown();
            }
        };
        system.registerOnTermination(shutdown);
        return new RedisLease(settings, system, () -> client.updateAndGet(c -> c != null ? c : RedisClients.create(system.settings().config())));
    }

    RedisLease(LeaseSettings settings, ExtendedActorSystem system, RedissonClient redis) {
        this(settings, system, () -> redis);
    }

    private RedisLease(LeaseSettings settings, ExtendedActorSystem system, Supplier<RedissonClient> redis) {
        this.settings = settings;
        this.system = system;
        this.redis = redis;
        this.key = KEY_PREFIX + settings.leaseName();
        this.ttl = settings.timeoutSettings().getHeartbeatTimeout();
        this.renewEvery = settings.timeoutSettings().getHeartbeatInterval();
    }

    public CompletionStage<Boolean> acquire() {
        return acquire(lost -> { });
    }

    public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> onLost) {
        long started = System.nanoTime();
        return setIfFree().thenApply(granted -> {
            if (granted) {
                Held previous = held.getAndSet(new Held(started + ttl.toNanos(), scheduleRenewal(), onLost));
                if (previous != null) {
                    previous.renewal().cancel();
                }
                log.info("Lease {} acquired by {}", settings.leaseName(), settings.ownerName());
            }
            return granted;
        });
    }

    public CompletionStage<Boolean> release() {
        Held previous = held.getAndSet(null);
        if (previous != null) {
            previous.renewal().cancel();
        }
        RScript script;
        try {
            script = redis.get().getScript(StringCodec.INSTANCE);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return script.<Long>evalAsync(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.INTEGER, List.of(key), settings.ownerName())
                .toCompletableFuture().thenApply(deleted -> deleted != null && deleted == 1L);
    }

    public boolean checkLease() {
        Held h = held.get();
        return h != null && h.validUntilNanos() - System.nanoTime() > 0;
    }

    private CompletableFuture<Boolean> setIfFree() {
        RScript script;
        try {
            script = redis.get().getScript(StringCodec.INSTANCE);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return script.<Long>evalAsync(RScript.Mode.READ_WRITE, ACQUIRE, RScript.ReturnType.INTEGER, List.of(key),
                        settings.ownerName(), Long.toString(ttl.toMillis()))
                .toCompletableFuture().thenApply(r -> r != null && r == 1L);
    }

    private Cancellable scheduleRenewal() {
        return system.scheduler().scheduleWithFixedDelay(renewEvery, renewEvery, this::renew, system.dispatcher());
    }

    private void renew() {
        Held current = held.get();
        if (current == null) {
            return;
        }
        long started = System.nanoTime();
        setIfFree().whenComplete((granted, failure) -> {
            if (failure == null && granted) {
                held.compareAndSet(current, new Held(started + ttl.toNanos(), current.renewal(), current.onLost()));
                return;
            }
            if (failure == null || !checkLease()) {
                lose(current, failure);
            } else {
                log.warn("Lease {}: renewal failed, still held for {} ms: {}", settings.leaseName(),
                        Duration.ofNanos(current.validUntilNanos() - System.nanoTime()).toMillis(), failure.toString());
            }
        });
    }

    private void lose(Held current, Throwable failure) {
        if (held.compareAndSet(current, null)) {
            current.renewal().cancel();
            log.warn("Lease {} lost by {}{}", settings.leaseName(), settings.ownerName(),
                    failure == null ? ": another owner holds it" : ": " + failure);
            current.onLost().accept(Optional.ofNullable(failure));
        }
    }
}
