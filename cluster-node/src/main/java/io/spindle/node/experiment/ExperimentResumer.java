package io.spindle.node.experiment;

import io.spindle.model.experiment.ExperimentEvent;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.stream.StreamRuns;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;

/**
 * After a node starts, wakes every experiment in the journal: sharding remembers no entities, so an unfinished
 * experiment would otherwise wait for someone to read it. A finished one recovers, sees nothing to do and idles.
 */
public final class ExperimentResumer {
    private ExperimentResumer() {}

    public static CompletionStage<Done> wakeAll(ActorSystem<?> system, String readJournalPluginId) {
        ReadJournal journal = PersistenceQuery.get(Adapter.toClassic(system)).getReadJournalFor(ReadJournal.class, readJournalPluginId);
        return PekkoStages.direct(((CurrentEventsByTagQuery) journal).currentEventsByTag(ExperimentEvent.TAG, Offset.noOffset())
                .filter(envelope -> envelope.event() instanceof ExperimentEvent.Created)
                .map(envelope -> envelope.persistenceId().substring(ExperimentEntity.PERSISTENCE_ID_PREFIX.length() + 1))
                .runForeach(id -> ExperimentEntity.entityRef(system, id).tell(new ExperimentEntity.Wake(system.ignoreRef())),
                        StreamRuns.get(system).materializer(StreamRuns.Site.EXPERIMENTS)));
    }
}
