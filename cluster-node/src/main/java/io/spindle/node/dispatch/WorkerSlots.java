package io.spindle.node.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Dispatcher} knows about each of its workers: whether the worker's process is up and idle
 * (it said Ready), and whether the dispatcher has reserved it for a lease in flight or handed it a job.
 * Only free slots may be filled, which is what keeps a dispatcher from taking more queue entries than it
 * can run. Not thread-safe: owned by one dispatcher actor.
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
     * when no worker is free.
     *
     * <p>Routing, v0 (docs/architecture.md, "Routing"): the first free worker in the dispatcher's fixed
     * order, i.e. the lowest-numbered idle worker of this node. Every worker of a dispatcher runs the same
     * command for the same config, so any idle one will do; always preferring the low numbers keeps work on
     * a stable few processes when load is light (their runtimes stay warm, the others stay cold and cheap)
     * and makes placement predictable in logs and tests. Which <em>node</em> runs a job is not decided here:
     * every node hosting the config takes from the same consumer group, so a node with no free worker simply
     * does not take. Scoring (warm-model affinity, capacity, fairness across configs) replaces this method
     * when contention shows.
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
