package io.spindle.node.dev;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded redis-server running: a server that dies (kill -9, OOM) is started again on the same port
 * and data dir, so it reloads its append-only file and the node's Redis client reconnects to the same address.
 * Restarts back off exponentially while the server keeps failing to start. The pid file is rewritten after each
 * start, so a node killed later still stops the right leftover process.
 */
final class RedisSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisSupervisor.class);
    /** Longest wait in close() for a restart in progress: an interrupted start gives up at its next poll. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    private final EmbeddedRedis redis;
    private final RedisPidFile pidFile;
    private final Duration checkInterval;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final ScheduledExecutorService watcher;
    private Duration nextBackoff;
    private volatile boolean closed;

    RedisSupervisor(EmbeddedRedis redis, RedisPidFile pidFile, Duration checkInterval, Duration backoffMin, Duration backoffMax) {
        this.redis = redis;
        this.pidFile = pidFile;
        this.checkInterval = checkInterval;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.nextBackoff = backoffMin;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redis-supervisor-" + redis.port());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching; the first check runs after one {@code checkInterval}. */
    RedisSupervisor start() {
        schedule(checkInterval);
        return this;
    }

    private void schedule(Duration delay) {
        if (!closed) {
            watcher.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        if (closed || redis.isAlive()) {
            nextBackoff = backoffMin;
            schedule(checkInterval);
            return;
        }
        if (nextBackoff.equals(backoffMin)) {
            log.warn("Embedded redis-server on port {} died; starting it again on its data dir", redis.port());
        }
        try {
            redis.restart();
            if (closed) {
                return;
            }
            pidFile.record(redis.port());
            log.info("Embedded redis-server on port {} restarted", redis.port());
            nextBackoff = backoffMin;
            schedule(checkInterval);
        } catch (RuntimeException e) {
            log.warn("Embedded redis-server on port {} did not start again, next try in {}: {}", redis.port(), nextBackoff, e.toString());
            Duration wait = nextBackoff;
            nextBackoff = nextBackoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : nextBackoff.multipliedBy(2);
            schedule(wait);
        }
    }

    /** Stops watching (before the server is stopped on purpose); waits for a restart in progress to end. */
    @Override
    public void close() {
        closed = true;
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
