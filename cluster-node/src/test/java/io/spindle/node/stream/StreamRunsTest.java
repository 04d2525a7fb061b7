package io.spindle.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.metrics.SpindleMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StreamRunsTest {
    private static final ActorTestKit testKit = ActorTestKit.create("StreamRunsTest");

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void countsEachRunAtItsSiteAndShowsItInMetrics() throws Exception {
        StreamRuns runs = StreamRuns.get(testKit.system());
        long before = runs.count(StreamRuns.Site.SWEEP);

        List<Integer> out = Source.from(List.of(1, 2, 3))
                .flatMapConcat(i -> Source.single(i * 10)) // substreams run inside the graph: not top-level runs
                .runWith(Sink.seq(), runs.materializer(StreamRuns.Site.SWEEP))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        Source.single(1).runWith(Sink.ignore(), runs.materializer(StreamRuns.Site.SWEEP).withNamePrefix("named"))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of(10, 20, 30), out);
        assertEquals(before + 2, runs.count(StreamRuns.Site.SWEEP));
        String scraped = SpindleMetrics.get(testKit.system()).scrape();
        assertTrue(scraped.contains("spindle_stream_materializations_total{site=\"sweep\"} " + (before + 2) + ".0"), scraped);
        assertTrue(scraped.contains("spindle_stream_materializations_total{site=\"http\"} 0.0"), scraped);
    }
}
