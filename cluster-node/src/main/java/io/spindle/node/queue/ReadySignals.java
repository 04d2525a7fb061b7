package io.spindle.node.queue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups for takes waiting on an empty config queue. Every enqueue PUBLISHes the config id on the
 * config's ready channel in the same round trip as its XADDs; this node subscribes once per config it
 * takes from. Subscriptions are multiplexed on the client's few subscription connections, so a waiting
 * take holds no command connection. A signal only means "look again": it may be lost (reconnect) or
 * spurious, which is why waits are bounded and followed by a re-read.
 */
final class ReadySignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadySignals.class);

    private final RedissonClient redisson;
    private final QueueSettings settings;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    ReadySignals(RedissonClient redisson, QueueSettings settings) {
        this.redisson = redisson;
        this.settings = settings;
    }

    /** The config's channel, once subscribed; a failed subscription is retried on the next call (waits then just poll). */
    CompletionStage<Channel> channel(String configId) {
        Channel ch = channels.computeIfAbsent(configId, id -> new Channel(redisson.getTopic(settings.readyChannel(id), StringCodec.INSTANCE)));
        return ch.subscribe(configId).handle((ok, err) -> ch);
    }

    @Override
    public void close() {
        channels.values().forEach(Channel::close);
        channels.clear();
    }

    /** One config's signal: a counter bumped by every message, and the takes waiting for it to move. */
    static final class Channel {
        private final RTopic topic;
        private final AtomicLong generation = new AtomicLong();
        private final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();
        private CompletableFuture<Integer> subscription;

        private Channel(RTopic topic) {
            this.topic = topic;
        }

        long generation() {
            return generation.get();
        }

        /** Completes when a signal arrives after {@code seen} was read, or after {@code nanos} at the latest. */
        CompletableFuture<Void> awaitChange(long seen, long nanos) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.add(f);
            f.whenComplete((v, e) -> waiters.remove(f));
            if (generation.get() != seen) {
                f.complete(null);
            }
            return f.completeOnTimeout(null, nanos, TimeUnit.NANOSECONDS);
        }

        private void signal() {
            generation.incrementAndGet();
            waiters.forEach(f -> f.complete(null));
        }

        private synchronized CompletableFuture<Integer> subscribe(String configId) {
            CompletableFuture<Integer> current = subscription;
            if (current == null) {
                CompletableFuture<Integer> s = topic.addListenerAsync(String.class, (channel, msg) -> signal()).toCompletableFuture();
                subscription = s;
                current = s;
                s.whenComplete((id, err) -> {
                    if (err != null) {
                        log.warn("Cannot subscribe to queue signals of config {}; takes poll until it works: {}", configId, err.toString());
                        synchronized (this) {
                            if (subscription == s) {
                                subscription = null;
                            }
                        }
                    }
                });
            }
            return current;
        }

        private synchronized void close() {
            if (subscription != null) {
                subscription.thenAccept(id -> topic.removeListenerAsync(id));
                subscription = null;
            }
            waiters.forEach(f -> f.complete(null));
        }
    }
}
