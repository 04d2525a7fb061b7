package io.spindle.node.queue;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.Delivery;
import io.spindle.model.queue.QueueTicket;
import io.spindle.node.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the Redis queue: enqueue/s (batched, and single enqueues with many in flight) and
 * take+ack/s (one dispatcher, and four nodes' dispatchers on one config). Not a test: run it by hand,
 * against a fresh local redis-server, or the server in SPINDLE_REDIS_URI (it writes config ids bench-*):
 * <pre>
 * mvn -o -q -pl cluster-node -am test-compile
 * mvn -o -q -pl cluster-node dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp model/target/classes:cluster-node/target/classes:cluster-node/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.spindle.node.queue.RedisJobQueueBenchmark [tickets=100000] [batch=1000] [take-max=100]
 * </pre>
 */
public final class RedisJobQueueBenchmark {
    private static final int IN_FLIGHT = 256;
    private static final int NODES = 4;

    private RedisJobQueueBenchmark() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        int tickets = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int takeMax = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String uri = System.getenv("SPINDLE_REDIS_URI");
        String password = System.getenv().getOrDefault("SPINDLE_REDIS_PASSWORD", "");
        RedisServerExtension server = null;
        if (uri == null) {
            server = new RedisServerExtension();
            server.start();
            uri = server.uri();
            password = server.password();
        }
        RedissonClient redisson = RedisClients.create(ConfigFactory.load(), uri, password);
        try (RedisJobQueue queue = RedisJobQueue.fromConfig(redisson, ConfigFactory.load())) {
            String run = "bench-" + System.currentTimeMillis();
            warmUp(queue, run + "-warmup");

            String batched = run + "-batched";
            report("enqueueAll (batches of " + batch + ")", tickets, () -> {
                for (int i = 0; i < tickets; i += batch) {
                    int from = i;
                    queue.enqueueAll(IntStream.range(from, Math.min(tickets, from + batch))
                            .mapToObj(j -> ticket(batched, j)).toList()).toCompletableFuture().join();
                }
            });
            report("take+ack, 1 dispatcher, max " + takeMax, tickets, () -> drain(queue, batched, "node-0", takeMax, new AtomicLong(tickets)));

            String single = run + "-single";
            report("enqueue, one ticket per call, " + IN_FLIGHT + " in flight", tickets, () -> {
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                for (int j = 0; j < tickets; j++) {
                    inFlight.acquireUninterruptibly();
                    queue.enqueue(ticket(single, j)).whenComplete((v, e) -> inFlight.release());
                }
                inFlight.acquireUninterruptibly(IN_FLIGHT);
            });
            AtomicLong left = new AtomicLong(tickets);
            report("take+ack, " + NODES + " nodes' dispatchers, max " + takeMax, tickets, () -> {
                List<CompletableFuture<Void>> nodes = new ArrayList<>();
                for (int n = 0; n < NODES; n++) {
                    String node = "node-" + n;
                    nodes.add(CompletableFuture.runAsync(() -> drain(queue, single, node, takeMax, left)));
                }
                nodes.forEach(CompletableFuture::join);
            });
        } finally {
            redisson.shutdown();
            if (server != null) {
                server.close();
            }
        }
    }

    /** Takes and acks until {@code left} tickets are done, like a dispatcher with {@code max} free slots. */
    private static void drain(RedisJobQueue queue, String configId, String node, int max, AtomicLong left) {
        while (left.get() > 0) {
            List<Delivery> got = queue.take(configId, node, max, Duration.ofMillis(100)).toCompletableFuture().join();
            if (!got.isEmpty()) {
                queue.ack(got).toCompletableFuture().join();
                left.addAndGet(-got.size());
            }
        }
    }

    private static void warmUp(RedisJobQueue queue, String configId) {
        int n = 20_000;
        queue.enqueueAll(IntStream.range(0, n).mapToObj(j -> ticket(configId, j)).toList()).toCompletableFuture().join();
        drain(queue, configId, "warmup", 200, new AtomicLong(n));
    }

    private static QueueTicket ticket(String configId, int j) {
        return new QueueTicket("job-" + j, configId, j % 10, 1);
    }

    private static void report(String what, int tickets, Runnable work) {
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-52s %,9d tickets in %6.2f s = %,10.0f /s%n", what, tickets, seconds, tickets / seconds);
    }
}
