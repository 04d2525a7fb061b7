package io.spindle.node.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Dispatcher} knows about each of its workers, and the choice of the worker that runs the next job
 * (docs/architecture.md, "Hosting directory and routing"). Not thread-safe: owned by one dispatcher actor.
 *
 * <h2>What it decides</h2>
 * How many queue entries the dispatcher may take ({@link #free}: workers that are up and neither reserved for a
 * lease in flight nor running a job), which is what keeps a dispatcher from taking more than it can run; and which
 * free worker an entry goes to ({@link #reserve}: the first free one in the order of adding, i.e. the
 * lowest-numbered idle worker of this dispatcher). Which <em>node</em> runs a job is not decided here (see
 * {@link Dispatcher}).
 *
 * <p>A slot is up once its worker said Ready, down after Unavailable. Its assignment goes NONE → RESERVED
 * ({@link #reserve}) → BUSY ({@link #assign}: lease granted), or back to NONE ({@link #release}: refused or
 * undecided); BUSY ends with the worker's next Ready. A Ready carries how many Runs the worker has received, so one
 * sent before the worker received our latest Run is recognised as stale and frees nothing.
 *
 * <h2>Example</h2>
 * Workers w1, w2, w3 (concurrency 3): w1 runs a job, w2 is idle after 4 Runs, w3 is still starting. {@code free()}
 * is 1, so the dispatcher takes at most one entry, and {@code reserve()} returns w2. The lease is granted:
 * {@code assign(w2)} marks it busy and counts its 5th Run. A Ready(w2, 4) that w2 sent before that Run reached it
 * (its process had restarted while idle, say) is stale and leaves w2 busy; the Ready(w2, 5) sent after the job's end
 * frees it. Meanwhile w3 says Ready and w1 finishes: the next entry goes to w1, the lowest free number, not to w3.
 *
 * <h2>Known caveats</h2>
 * <ul>
 *   <li>No affinity or scoring. Every worker of a dispatcher runs the same command for the same config, so any idle
 *   one will do today; scoring (warm-model affinity, capacity, fairness across configs) replaces {@link #reserve}
 *   when contention shows.</li>
 *   <li>Load is uneven on purpose: preferring low numbers keeps work on a stable few processes when load is light
 *   (their runtimes stay warm, the others cold and cheap) and makes placement predictable in logs and tests, but
 *   the high-numbered workers see little traffic until load rises.</li>
 *   <li>Linear scans over the slots: right for the handful of workers a config has on a node, not for thousands.</li>
 * </ul>
 *
 * @param <W> how a worker is addressed (an ActorRef in the dispatcher, anything in tests)
 */
final class WorkerSlots<W> {

    private enum Assignment { NONE, RESERVED, BUSY }

    private static final class Slot<W> {
        final W worker;
        final String name;
        boolean up;
        Assignment assignment = Assignment.NONE;
        long runsSent;

        Slot(W worker, String name) {
            this.worker = worker;
            this.name = name;
        }

        boolean isFree() {
            return up && assignment == Assignment.NONE;
        }
    }

    private final List<Slot<W>> slots = new ArrayList<>();

    /** Adds a worker, not yet up; the order of adding is the routing order. */
    void add(W worker, String name) {
        slots.add(new Slot<>(worker, name));
    }

    /** Workers that are up and neither reserved nor busy. */
    int free() {
        int n = 0;
        for (Slot<W> s : slots) {
            if (s.isFree()) {
                n++;
            }
        }
        return n;
    }

    /** Workers reserved for a lease in flight or running a job. */
    int taken() {
        int n = 0;
        for (Slot<W> s : slots) {
            if (s.assignment != Assignment.NONE) {
                n++;
            }
        }
        return n;
    }

    /**
     * Picks the worker for the next queue entry and reserves it until the lease is decided, or returns null
     * when no worker is free. Routing, v0: the first free worker in the dispatcher's fixed order (see the class
     * comment for why, and for its caveats).
     */
    W reserve() {
        for (Slot<W> s : slots) {
            if (s.isFree()) {
                s.assignment = Assignment.RESERVED;
                return s.worker;
            }
        }
        return null;
    }

    /** The lease was granted: the reserved worker now runs the job; counts the Run about to be sent. */
    void assign(W worker) {
        Slot<W> s = slot(worker);
        s.assignment = Assignment.BUSY;
        s.runsSent++;
    }

    /** The lease was refused or never decided: the reserved worker is free again (if still up). */
    void release(W worker) {
        Slot<W> s = slot(worker);
        if (s.assignment == Assignment.RESERVED) {
            s.assignment = Assignment.NONE;
        }
    }

    /**
     * The worker says it is up and idle, having received {@code runsReceived} Runs. A Ready sent before the
     * worker received our latest Run is stale: the worker is busy with that Run by now.
     */
    void ready(W worker, long runsReceived) {
        Slot<W> s = slot(worker);
        s.up = true;
        if (s.assignment == Assignment.BUSY && runsReceived >= s.runsSent) {
            s.assignment = Assignment.NONE;
        }
    }

    /** The worker's process went down while idle; it says Ready again once it is back. */
    void down(W worker) {
        slot(worker).up = false;
    }

    String name(W worker) {
        return slot(worker).name;
    }

    private Slot<W> slot(W worker) {
        for (Slot<W> s : slots) {
            if (s.worker.equals(worker)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a worker of this dispatcher: " + worker);
    }
}
