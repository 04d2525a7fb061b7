package io.spindle.node.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SpindleMetricsTest {
    private static final ActorTestKit testKit = ActorTestKit.create("SpindleMetricsTest");

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void backendRequestsAreReadFromTheClientsCountAfterAGarbageCollection() throws InterruptedException {
        SpindleMetrics metrics = SpindleMetrics.get(testKit.system());
        AtomicLong sent = new AtomicLong();
        // A fresh method reference, held by nothing but the counter (as the node registers its clients' counts).
        metrics.backendRequests("mongo", sent::get);
        sent.set(42);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }

        String scraped = metrics.scrape();
        assertTrue(scraped.contains("spindle_backend_requests_total{backend=\"mongo\"} 42.0"), scraped);
    }
}
