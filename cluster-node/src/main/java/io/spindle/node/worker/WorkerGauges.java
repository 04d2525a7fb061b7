package io.spindle.node.worker;

import io.micrometer.core.instrument.Counter;
import io.spindle.node.metrics.SpindleMetrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;

/** The metrics of one worker process: which behaviour it is in (spindle_workers) and how often it was restarted. */
final class WorkerGauges {

    /** The behaviours of a {@link WorkerProcess}, as the {@code state} tag of spindle_workers names them. */
    enum State { STARTING, IDLE, BUSY, BACKOFF }

    private final Map<State, AtomicLong> states = new EnumMap<>(State.class);
    private final Counter restarts;
    private State state;

    WorkerGauges(ActorSystem<?> system, String configId) {
        SpindleMetrics metrics = SpindleMetrics.get(system);
        for (State s : State.values()) {
            states.put(s, metrics.settableGauge("spindle_workers", "Worker processes by state",
                    "config", configId, "state", s.name().toLowerCase(Locale.ROOT)));
        }
        this.restarts = metrics.counter("spindle_worker_restarts",
                "Worker processes started again after they died, were killed or failed to start", "config", configId);
    }

    /** The worker is now in {@code next} (null: stopped). */
    void enter(State next) {
        if (state != null) {
            states.get(state).decrementAndGet();
        }
        state = next;
        if (next != null) {
            states.get(next).incrementAndGet();
        }
    }

    /** The behaviour the worker is in, for log lines. */
    State state() {
        return state;
    }

    void restarted() {
        restarts.increment();
    }
}
