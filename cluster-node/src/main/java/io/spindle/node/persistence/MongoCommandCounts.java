package io.spindle.node.persistence;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the commands the shared MongoDB client sends, by command name ({@code insert}, {@code find},
 * {@code update}…): each is one round trip to the server, the unit of the per-job store budget.
 * Cumulative since the client was created.
 */
public final class MongoCommandCounts implements CommandListener {
    private final Map<String, LongAdder> byCommand = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        byCommand.computeIfAbsent(event.getCommandName(), name -> new LongAdder()).increment();
        total.increment();
    }

    /** Every command sent so far. */
    public long total() {
        return total.sum();
    }

    /** Commands sent so far, by name, sorted by name. */
    public Map<String, Long> byCommand() {
        Map<String, Long> counts = new TreeMap<>();
        byCommand.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }
}
