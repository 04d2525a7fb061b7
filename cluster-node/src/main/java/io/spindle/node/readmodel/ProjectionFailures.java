package io.spindle.node.readmodel;

import io.micrometer.core.instrument.Counter;
import io.spindle.node.metrics.SpindleMetrics;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job views the projection could not write because the store refused them for good, one per node:
 * each is logged with its job id and error, counted in {@code spindle_projection_failures_total}, and the
 * last one is kept for {@code GET /ready} to show. The projection skips them and goes on.
 */
public final class ProjectionFailures implements Extension {
    private static final Logger log = LoggerFactory.getLogger(ProjectionFailures.class);
    public static final String METRIC = "spindle_projection_failures";

    /** A view the store refused: the job, the offset of its last event in the refused batch, and why. */
    public record Skipped(String jobId, long offset, String error, Instant at) {}

    private final Counter counter;
    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<Skipped> last = new AtomicReference<>();

    private ProjectionFailures(SpindleMetrics metrics) {
        this.counter = metrics.counter(METRIC, "Job views the read-model projection skipped because the store refused them");
    }

    public static ProjectionFailures get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    public void record(Skipped skipped) {
        log.error("job projection skipped the view of job {} (events up to offset {}): the store refused it: {}",
                skipped.jobId(), skipped.offset(), skipped.error());
        counter.increment();
        count.incrementAndGet();
        last.set(skipped);
    }

    /** How many views were skipped since the node started. */
    public long count() {
        return count.get();
    }

    public Optional<Skipped> last() {
        return Optional.ofNullable(last.get());
    }

    private static final class Id extends ExtensionId<ProjectionFailures> {
        static final Id INSTANCE = new Id();

        @Override
        public ProjectionFailures createExtension(ActorSystem<?> system) {
            return new ProjectionFailures(SpindleMetrics.get(system));
        }
    }
}
