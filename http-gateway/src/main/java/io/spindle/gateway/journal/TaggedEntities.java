package io.spindle.gateway.journal;

import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.stream.StreamRuns;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
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
     * Ids of the entities whose persistence id is {@code prefix|id}, oldest first by the time their creation event
     * carries ({@code createdAt} answers it for a creation event, null for any other): a read journal's order by tag
     * is its own (by offset in MongoDB, not so in the test kit).
     */
    public CompletionStage<List<String>> ids(String tag, String prefix, Function<Object, Instant> createdAt) {
        CurrentEventsByTagQuery query = (CurrentEventsByTagQuery) PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, pluginId);
        return PekkoStages.direct(query.currentEventsByTag(tag, Offset.noOffset())
                .filter(envelope -> createdAt.apply(envelope.event()) != null)
                .map(envelope -> Pair.create(envelope.persistenceId().substring(prefix.length() + 1), createdAt.apply(envelope.event())))
                .runWith(Sink.seq(), StreamRuns.get(system).materializer(StreamRuns.Site.HTTP)))
                .thenApply(created -> created.stream()
                        .sorted(Comparator.comparing((Pair<String, Instant> p) -> p.second()).thenComparing(Pair::first))
                        .map(Pair::first).distinct().toList());
    }
}
