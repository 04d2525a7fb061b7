package io.spindle.node.dev;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Locale;
import java.util.Set;

/**
 * The H2 MVStore backend of the embedded Mongo-wire server, made durable: the stock backend commits
 * about once a second, so an acknowledged write would vanish on kill -9. This one commits the store
 * before a command that changed it is acknowledged. Writes are batched by their callers, so the cost
 * is one commit per batch, not per document; and commands finishing together on different
 * connections share one commit (group commit), since a commit stores every change made before it.
 */
final class DurableH2Backend extends H2Backend {

    /** Commands that may change the store; they are acknowledged only after a commit that holds their change. */
    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findandmodify", "create",
            "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");
    private final Object findAndModifyLock = new Object();
    private final Object commitLock = new Object();
    /** Commits begun by {@link #awaitDurable}; only written under {@link #commitLock}. */
    private volatile long commitsBegun;

    DurableH2Backend(String file) {
        super(file);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = "findAndModify".equalsIgnoreCase(command)
                ? findAndModify(channel, database, command, query)
                : super.handleCommand(channel, database, command, query);
        if (WRITE_COMMANDS.contains(command.toLowerCase(Locale.ROOT)) || getMvStore().hasUnsavedChanges()) {
            awaitDurable();
        }
        return reply;
    }

    /**
     * The stock server replies to findAndModify with the stored document object itself, which the
     * next findAndModify changes in place before the first reply is encoded: two concurrent
     * {@code $inc}s then both return the second value. Serialising them and replying with a copy
     * makes the returned document the one this command produced (the journal's ordering counter
     * relies on it).
     */
    private Document findAndModify(Channel channel, String database, String command, Document query) {
        synchronized (findAndModifyLock) {
            Document reply = super.handleCommand(channel, database, command, query);
            if (reply.get("value") instanceof Document value) {
                reply.put("value", value.cloneDeeply());
            }
            return reply;
        }
    }

    /**
     * Returns once every change made before the call is stored. A commit begun after those changes
     * stores them too, so a thread that finds one has completed while it waited for the lock (they run
     * under it) returns without committing again: N concurrent writers cost 1–2 commits instead of N.
     * A known write command never skips on {@code hasUnsavedChanges() == false}: a store already in
     * progress (another thread's, or H2's background writer) may hold its change without having written
     * it yet; {@code commit()} waits for that store to finish.
     */
    private void awaitDurable() {
        long begunBefore = commitsBegun;
        synchronized (commitLock) {
            if (commitsBegun > begunBefore) {
                return;
            }
            commitsBegun = begunBefore + 1;
            commit();
        }
    }
}
