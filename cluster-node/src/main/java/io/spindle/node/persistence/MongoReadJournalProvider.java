package io.spindle.node.persistence;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.query.ReadJournalProvider;

/**
 * Pekko's entry point for the read journal plugin {@code spindle.persistence.query}; only the
 * javadsl {@link MongoReadJournal} is implemented.
 */
public final class MongoReadJournalProvider implements ReadJournalProvider {
    private final MongoReadJournal javadsl;

    public MongoReadJournalProvider(ExtendedActorSystem system, Config config) {
        this.javadsl = new MongoReadJournal(system, config);
    }

    @Override
    public org.apache.pekko.persistence.query.scaladsl.ReadJournal scaladslReadJournal() {
        return new ScaladslPlaceholder();
    }

    @Override
    public MongoReadJournal javadslReadJournal() {
        return javadsl;
    }

    /** Pekko asks for a scaladsl journal too; Spindle is Java-only, so it offers no queries. */
    private static final class ScaladslPlaceholder implements org.apache.pekko.persistence.query.scaladsl.ReadJournal {
    }
}
