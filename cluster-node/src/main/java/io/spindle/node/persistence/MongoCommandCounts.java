package io.spindle.node.persistence;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.bson.BsonValue;

/**
 * Counts the commands the shared MongoDB client sends (and those handed to the embedded server in process, see
 * {@link SharedMongoClient#documents}), by command name ({@code insert}, {@code find},
 * {@code update}…) and by command and collection ({@code "update jobs"}): each is one round trip to the
 * server, the unit of the per-job store budget. Cumulative since the client was created.
 */
public final class MongoCommandCounts implements CommandListener {
    private final Map<String, LongAdder> byCommand = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byCommandAndCollection = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String command = event.getCommandName();
        // A collection command names its collection as the value of the command's own key.
        BsonValue target = event.getCommand().get(command);
        count(command, target != null && target.isString() ? target.asString().getValue() : null);
    }

    /** Counts a command sent without the driver (to the embedded server in process); {@code collection} may be null. */
    void count(String command, String collection) {
        byCommand.computeIfAbsent(command, name -> new LongAdder()).increment();
        String key = collection != null ? command + " " + collection : command;
        byCommandAndCollection.computeIfAbsent(key, name -> new LongAdder()).increment();
        total.increment();
    }

    /** Every command sent so far. */
    public long total() {
        return total.sum();
    }

    /** Commands sent so far, by name, sorted by name. */
    public Map<String, Long> byCommand() {
        return sums(byCommand);
    }

    /** Commands sent so far, by name and collection ({@code "find journal"}), sorted. */
    public Map<String, Long> byCommandAndCollection() {
        return sums(byCommandAndCollection);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> counts = new TreeMap<>();
        adders.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }
}
