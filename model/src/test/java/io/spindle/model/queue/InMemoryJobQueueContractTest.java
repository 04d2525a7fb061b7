package io.spindle.model.queue;

import io.spindle.model.testsupport.ManualClock;
import java.time.Duration;

/** The shared queue contract against the in-memory queue, with a clock that moves only when told. */
class InMemoryJobQueueContractTest extends JobQueueContract {
    private final ManualClock clock = new ManualClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    @Override
    protected JobQueue queue() {
        return queue;
    }

    @Override
    protected void elapse(Duration d) {
        clock.advance(d);
    }
}
