package io.spindle.node.persistence;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Counters of the Mongo journal of one ActorSystem: how many writes arrived and how many insert
 * commands carried them, i.e. how well concurrent writes are batched. Cumulative since start.
 */
public final class JournalMetrics implements Extension {
    private final LongAdder writeCalls = new LongAdder();
    private final LongAdder atomicWrites = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder rejectedWrites = new LongAdder();
    private final LongAdder failedWrites = new LongAdder();
    private final LongAdder insertCommands = new LongAdder();
    private final LongAdder failedFlushes = new LongAdder();

    private JournalMetrics() {
    }

    public static JournalMetrics get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** Calls of asyncWriteMessages (one per persisting entity and command). */
    public long writeCalls() {
        return writeCalls.sum();
    }

    /** AtomicWrites accepted for storage (each becomes one document). */
    public long atomicWrites() {
        return atomicWrites.sum();
    }

    /** Events in the accepted AtomicWrites. */
    public long events() {
        return events.sum();
    }

    /** AtomicWrites rejected before storage (not serializable, too large). */
    public long rejectedWrites() {
        return rejectedWrites.sum();
    }

    /** AtomicWrites whose storage failed. */
    public long failedWrites() {
        return failedWrites.sum();
    }

    /** insertMany commands sent: one per flush of the write batcher, one per filler of released orderings sent alone. */
    public long insertCommands() {
        return insertCommands.sum();
    }

    /** Flushes that failed as a whole (connection errors, timeouts). */
    public long failedFlushes() {
        return failedFlushes.sum();
    }

    void writeCall(int accepted, int eventCount, int rejected) {
        writeCalls.increment();
        atomicWrites.add(accepted);
        events.add(eventCount);
        rejectedWrites.add(rejected);
    }

    void insertCommand() {
        insertCommands.increment();
    }

    void failedFlush() {
        failedFlushes.increment();
    }

    void failedWrites(int count) {
        failedWrites.add(count);
    }

    @Override
    public String toString() {
        return "JournalMetrics{writeCalls=" + writeCalls() + ", atomicWrites=" + atomicWrites()
                + ", events=" + events() + ", rejected=" + rejectedWrites() + ", failed=" + failedWrites()
                + ", insertCommands=" + insertCommands() + ", failedFlushes=" + failedFlushes() + "}";
    }

    private static final class Id extends ExtensionId<JournalMetrics> {
        static final Id INSTANCE = new Id();

        @Override
        public JournalMetrics createExtension(ActorSystem<?> system) {
            return new JournalMetrics();
        }
    }
}
