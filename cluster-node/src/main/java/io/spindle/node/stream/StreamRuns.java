package io.spindle.node.stream;

import io.spindle.node.metrics.SpindleMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.Materializer;

/**
 * The materializers Spindle runs its streams with, one per place that runs them ({@link Site}), each counting its
 * runs into {@code spindle_stream_materializations_total{site=...}}: with {@code spindle_jobs_finished} it gives the
 * streams materialized per job, which the hot path keeps at zero where it can (docs/performance.md).
 */
public final class StreamRuns implements Extension {
    /** Where Spindle runs streams. */
    public enum Site {
        /** Request bodies that did not arrive with their headers, event pages, tag walks. */
        HTTP("http"),
        /** Object store requests (pekko-connectors-s3): a put per uploaded artifact, gets, heads, deletes. */
        ARTIFACTS("artifacts"),
        /** The read-model projection's event stream (once per start or restart) and its gap and rebuild reads. */
        PROJECTION("projection"),
        /** The outbox sweeper, once per sweep. */
        SWEEP("sweep"),
        /** Waking unfinished experiments at start. */
        EXPERIMENTS("experiments");

        private final String tag;

        Site(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Site, LongAdder> counts = new EnumMap<>(Site.class);
    private final Map<Site, Materializer> materializers = new EnumMap<>(Site.class);

    private StreamRuns(ActorSystem<?> system) {
        Materializer materializer = Materializer.matFromSystem(system);
        SpindleMetrics metrics = SpindleMetrics.get(system);
        for (Site site : Site.values()) {
            LongAdder count = new LongAdder();
            counts.put(site, count);
            materializers.put(site, new CountingMaterializer(materializer, count));
            metrics.streamMaterializations(site.tag, count::sum);
        }
    }

    public static StreamRuns get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public static StreamRuns get(ClassicActorSystemProvider system) {
        return get(Adapter.toTyped(system.classicSystem()));
    }

    /** The materializer to run {@code site}'s streams with. */
    public Materializer materializer(Site site) {
        return materializers.get(site);
    }

    /** Streams materialized so far, all sites. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Streams materialized so far at {@code site}. */
    public long count(Site site) {
        return counts.get(site).sum();
    }

    private static final class Id extends ExtensionId<StreamRuns> {
        static final Id INSTANCE = new Id();

        @Override
        public StreamRuns createExtension(ActorSystem<?> system) {
            return new StreamRuns(system);
        }
    }
}
