package io.spindle.node.queue;

import io.spindle.model.queue.InMemoryJobQueue;
import io.spindle.model.queue.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The shared queue contract against the in-memory queue, with a clock that moves only when told. */
class InMemoryJobQueueContractTest extends JobQueueContract {
    private final ManualClock clock = new ManualClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    @Override
    JobQueue queue() {
        return queue;
    }

    @Override
    void elapse(Duration d) {
        clock.advance(d);
    }

    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
