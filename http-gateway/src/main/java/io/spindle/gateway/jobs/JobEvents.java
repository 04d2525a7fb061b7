package io.spindle.gateway.jobs;

import io.spindle.gateway.http.GatewayJson;
import io.spindle.model.job.Job;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.job.JobEntity;
import io.spindle.node.stream.StreamRuns;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A job's history straight from the journal, through the read journal named in
 * {@code spindle.gateway.read-journal}: the whole list for JSON, or a live SSE stream that ends
 * once the job is terminal. The read journal is looked up on first use.
 */
public final class JobEvents {
    private final ActorSystem<?> system;
    private final String pluginId;
    private final Duration keepAlive;
    private volatile ReadJournal journal;

    public JobEvents(ActorSystem<?> system, String pluginId, Duration keepAlive) {
        this.system = system;
        this.pluginId = pluginId;
        this.keepAlive = keepAlive;
    }

    /** Every journaled event of the job, oldest first; empty when there is no such job. */
    public CompletionStage<List<JobEventView>> history(String jobId) {
        return PekkoStages.direct(currentQuery().currentEventsByPersistenceId(persistenceId(jobId), 0L, Long.MAX_VALUE)
                .map(JobEventView::of)
                .runWith(Sink.seq(), StreamRuns.get(system).materializer(StreamRuns.Site.HTTP)));
    }

    /**
     * The job's events after sequence number {@code afterSeqNr} as SSE: the history, then live events,
     * completing after the first terminal event past {@code job}'s revision (at once if {@code job} is
     * already terminal, since then no event can follow without a person acting).
     */
    public Source<ServerSentEvent, NotUsed> stream(Job job, long afterSeqNr) {
        String pid = persistenceId(job.id());
        long from = afterSeqNr + 1;
        Source<EventEnvelope, NotUsed> events;
        if (job.status().isTerminal()) {
            events = currentQuery().currentEventsByPersistenceId(pid, from, Long.MAX_VALUE);
        } else {
            // A terminal event at or before the revision we saw was followed by a requeue: not the end.
            long seen = job.revision();
            events = liveQuery().eventsByPersistenceId(pid, from, Long.MAX_VALUE)
                    .takeWhile(e -> !(JobEventView.isTerminal(e.event()) && e.sequenceNr() > seen), true);
        }
        return events.map(JobEvents::toServerSentEvent).keepAlive(keepAlive, ServerSentEvent::heartbeat);
    }

    private static ServerSentEvent toServerSentEvent(EventEnvelope envelope) {
        JobEventView view = JobEventView.of(envelope);
        return ServerSentEvent.create(GatewayJson.string(view), Optional.of(view.type()),
                Optional.of(Long.toString(view.seqNr())), OptionalInt.empty());
    }

    private static String persistenceId(String jobId) {
        return JobEntity.persistenceId(jobId).id();
    }

    private CurrentEventsByPersistenceIdQuery currentQuery() {
        if (readJournal() instanceof CurrentEventsByPersistenceIdQuery q) {
            return q;
        }
        throw new IllegalStateException("read journal " + pluginId + " does not support currentEventsByPersistenceId");
    }

    private EventsByPersistenceIdQuery liveQuery() {
        if (readJournal() instanceof EventsByPersistenceIdQuery q) {
            return q;
        }
        throw new IllegalStateException("read journal " + pluginId + " does not support eventsByPersistenceId");
    }

    private ReadJournal readJournal() {
        ReadJournal j = journal;
        if (j == null) {
            j = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, pluginId);
            journal = j;
        }
        return j;
    }
}
