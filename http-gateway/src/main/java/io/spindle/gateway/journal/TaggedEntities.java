package io.spindle.gateway.journal;

import io.spindle.node.concurrent.PekkoStages;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The ids of the event-sourced entities of one kind, found in the journal by the tag their events carry: sharding
 * remembers no entities, so the journal is the only list of them. Reads every event of the tag (the creations are
 * picked out), which suits the dashboard's lists of aliases and experiments, not a hot path.
 */
public final class TaggedEntities {
    private final ActorSystem<?> system;
    private final String pluginId;

    public TaggedEntities(ActorSystem<?> system, String pluginId) {
        this.system = system;
        this.pluginId = pluginId;
    }

    /**
     * Ids, oldest first, of the entities whose persistence id is {@code prefix|id} and that journaled an event
     * {@code creation} accepts.
     */
    public CompletionStage<List<String>> ids(String tag, String prefix, Predicate<Object> creation) {
        CurrentEventsByTagQuery query = (CurrentEventsByTagQuery) PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, pluginId);
        return PekkoStages.direct(query.currentEventsByTag(tag, Offset.noOffset())
                .filter(envelope -> creation.test(envelope.event()))
                .map(envelope -> envelope.persistenceId().substring(prefix.length() + 1))
                .runWith(Sink.seq(), system)).thenApply(ids -> ids.stream().distinct().toList());
    }
}
