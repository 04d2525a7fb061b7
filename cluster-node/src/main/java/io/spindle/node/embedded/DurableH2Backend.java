package io.spindle.node.embedded;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.Channel;

/**
 * The H2 MVStore backend of the embedded Mongo-wire server, made durable: the stock backend commits
 * about once a second, so an acknowledged write would vanish on kill -9. This one commits the store
 * before a command that changed it is acknowledged. Writes are batched by their callers, so the cost
 * is one commit per batch, not per document.
 */
final class DurableH2Backend extends H2Backend {

    private final Object findAndModifyLock = new Object();

    DurableH2Backend(String file) {
        super(file);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = "findAndModify".equalsIgnoreCase(command)
                ? findAndModify(channel, database, command, query)
                : super.handleCommand(channel, database, command, query);
        commitIfChanged();
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

    @Override
    public Document handleMessage(MongoMessage message) {
        Document reply = super.handleMessage(message);
        commitIfChanged();
        return reply;
    }

    private void commitIfChanged() {
        if (getMvStore().hasUnsavedChanges()) {
            commit();
        }
    }
}
