package io.spindle.node.readmodel;

import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.store.JobViewStore;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.stream.StreamRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code jobs} read model up to date with the journal: reads every event tagged
 * {@link JobEvent#TAG} after the stored offset, in batches; per batch it loads the batch's views in
 * one query, folds the events in ({@link JobViewFold}: each applied once, by sequence number),
 * rebuilds any job whose events skipped ahead from that job's own history, writes the changed views
 * in one {@link JobViewStore#putJobs} and then saves the offset in the {@link ProjectionOffsetStore}. Any
 * failure restarts it, with backoff, from the stored offset; since a view only moves forward, re-reading
 * events is harmless. One view the store refuses for good (a document it cannot hold) must not stop the
 * read model: when a batch's write fails, its views are written one by one, and each one refused for a
 * reason other than the store being unreachable is recorded in {@link ProjectionFailures} and skipped.
 *
 * <p>Run one per cluster: a node starts it with {@link #start} and ends it with {@link #stop}.
 */
public final class JobProjection {
    private static final Logger log = LoggerFactory.getLogger(JobProjection.class);

    private final UniqueKillSwitch killSwitch;
    private final CompletionStage<Done> done;

    private JobProjection(UniqueKillSwitch killSwitch, CompletionStage<Done> done) {
        this.killSwitch = killSwitch;
        this.done = done;
    }

    /** Starts the projection with the node's {@code spindle.readmodel.projection} settings. */
    public static JobProjection start(ActorSystem<?> system, JobViewStore views, ProjectionOffsetStore offsets) {
        return start(system, views, offsets, JobProjectionSettings.fromConfig(system.settings().config()));
    }

    public static JobProjection start(ActorSystem<?> system, JobViewStore views, ProjectionOffsetStore offsets,
                                      JobProjectionSettings settings) {
        ReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, settings.readJournalPluginId());
        if (!(journal instanceof EventsByTagQuery tagged) || !(journal instanceof CurrentEventsByPersistenceIdQuery histories)) {
            throw new IllegalArgumentException("read journal '" + settings.readJournalPluginId() + "' ("
                    + journal.getClass().getName() + ") must support eventsByTag and currentEventsByPersistenceId");
        }
        Run run = new Run(system, views, offsets, settings, tagged, histories, ProjectionFailures.get(system));
        RestartSettings restart = RestartSettings.create(settings.minBackoff(), settings.maxBackoff(), settings.randomFactor());
        Pair<UniqueKillSwitch, CompletionStage<Done>> running = RestartSource.withBackoff(restart, run::fromStoredOffset)
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.ignore(), Keep.both())
                .run(StreamRuns.get(system).materializer(StreamRuns.Site.PROJECTION));
        CompletionStage<Done> done = PekkoStages.direct(running.second());
        done.whenComplete((d, e) -> {
            if (e != null) {
                log.error("job projection '{}' ended with a failure", settings.offsetName(), e);
            } else {
                log.info("job projection '{}' stopped", settings.offsetName());
            }
        });
        return new JobProjection(running.first(), done);
    }

    /** Stops reading; the returned stage completes once the stream has ended. Batches not yet saved are re-read next start. */
    public CompletionStage<Done> stop() {
        killSwitch.shutdown();
        return done;
    }

    /** Completes when the projection has ended (after {@link #stop}). */
    public CompletionStage<Done> done() {
        return done;
    }

    /** One incarnation's pipeline: what each (re)start reads, and how it handles a batch. */
    private record Run(ActorSystem<?> system, JobViewStore views, ProjectionOffsetStore offsets,
                       JobProjectionSettings settings, EventsByTagQuery tagged, CurrentEventsByPersistenceIdQuery histories,
                       ProjectionFailures failures) {

        Source<Long, NotUsed> fromStoredOffset() {
            RecentViews recent = new RecentViews(settings.recentViews());
            return Source.completionStageSource(offsets.offset(settings.offsetName()).thenApply(stored -> eventsAfter(stored, recent)))
                    .mapMaterializedValue(m -> NotUsed.notUsed());
        }

        private Source<Long, NotUsed> eventsAfter(Optional<Long> stored, RecentViews recent) {
            log.info("job projection '{}' reading tag '{}' from offset {}", settings.offsetName(), JobEvent.TAG,
                    stored.map(String::valueOf).orElse("start"));
            Offset from = stored.map(Offset::sequence).orElse(Offset.noOffset());
            return tagged.eventsByTag(JobEvent.TAG, from)
                    .groupedWithin(settings.batchSize(), settings.batchWindow())
                    .mapAsync(1, batch -> project(batch, recent));
        }

        /** The views of these jobs: those this run wrote last, and the others read from the store. */
        private CompletionStage<Map<String, Job>> viewsOf(Set<String> jobIds, RecentViews recent) {
            Map<String, Job> known = recent.known(jobIds);
            if (known.size() == jobIds.size()) {
                return CompletableFuture.completedFuture(known);
            }
            List<String> unknown = jobIds.stream().filter(id -> !known.containsKey(id)).toList();
            return views.jobs(unknown).thenApply(stored -> {
                Map<String, Job> all = new LinkedHashMap<>(stored);
                all.putAll(known);
                return all;
            });
        }

        /** Folds one batch into the read model, then saves its last offset; completes with that offset. */
        private CompletionStage<Long> project(List<EventEnvelope> batch, RecentViews recent) {
            long lastOffset = sequenceOf(batch.get(batch.size() - 1));
            Set<String> jobIds = new LinkedHashSet<>();
            Map<String, Long> lastOffsetOf = new LinkedHashMap<>();
            batch.forEach(e -> jobEvent(e).ifPresent(event -> {
                jobIds.add(event.jobId());
                lastOffsetOf.put(event.jobId(), sequenceOf(e));
            }));
            return viewsOf(jobIds, recent)
                    .thenCompose(stored -> {
                        JobViewFold fold = new JobViewFold(stored);
                        batch.forEach(e -> jobEvent(e).ifPresent(event -> fold.add(e.persistenceId(), e.sequenceNr(), event)));
                        return repairGaps(fold).thenCompose(repaired -> {
                            Map<String, Job> changed = new LinkedHashMap<>(fold.changed());
                            changed.putAll(repaired);
                            if (changed.isEmpty()) {
                                return CompletableFuture.<Void>completedFuture(null);
                            }
                            return PekkoStages.direct(views.putJobs(changed.values()))
                                    .thenRun(() -> recent.remember(changed.values()))
                                    .exceptionallyCompose(e -> {
                                        recent.forget(changed.keySet());
                                        return oneByOne(changed.values(), lastOffsetOf);
                                    });
                        });
                    })
                    .thenCompose(written -> offsets.saveOffset(settings.offsetName(), lastOffset))
                    .thenApply(saved -> {
                        log.debug("job projection '{}' folded {} events of {} jobs up to offset {}",
                                settings.offsetName(), batch.size(), jobIds.size(), lastOffset);
                        return lastOffset;
                    });
        }

        /**
         * Writes each view on its own after the batch's write failed: a view the store refuses is recorded and
         * skipped; any other failure (the store unreachable) fails the batch, to be retried after a restart.
         */
        private CompletionStage<Void> oneByOne(Collection<Job> changed, Map<String, Long> lastOffsetOf) {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (Job view : changed) {
                chain = chain.thenCompose(previous -> PekkoStages.direct(views.putJobs(List.of(view)))
                        .exceptionallyCompose(e -> {
                            if (!StoreRefusals.isRefusal(e)) {
                                return CompletableFuture.failedFuture(e);
                            }
                            failures.record(new ProjectionFailures.Skipped(view.id(), lastOffsetOf.getOrDefault(view.id(), -1L),
                                    StoreRefusals.describe(e), Instant.now()));
                            return CompletableFuture.completedFuture(null);
                        }));
            }
            return chain;
        }

        private CompletionStage<Map<String, Job>> repairGaps(JobViewFold fold) {
            if (fold.gaps().isEmpty()) {
                return CompletableFuture.completedFuture(Map.of());
            }
            return PekkoStages.direct(Source.from(new ArrayList<>(fold.gaps().entrySet()))
                    .mapAsyncUnordered(settings.rebuildParallelism(), gap -> rebuild(gap.getKey(), gap.getValue(),
                            fold.view(gap.getKey()), fold.highestSeen(gap.getKey())))
                    .runWith(Sink.seq(), StreamRuns.get(system).materializer(StreamRuns.Site.PROJECTION)))
                    .thenApply(views -> {
                        Map<String, Job> byId = new LinkedHashMap<>();
                        views.forEach(v -> byId.put(v.id(), v));
                        return byId;
                    });
        }

        /**
         * Completes a job's view from its own history, from the first event the view lacks. Fails when the
         * history does not reach the sequence number the tag stream showed, so the batch is retried.
         */
        private CompletionStage<Job> rebuild(String jobId, String persistenceId, Job from, long mustReach) {
            long fromSequenceNr = from == null ? 1 : from.revision() + 1;
            log.info("job {} skipped from revision {} to sequence number {} in the tag stream; reading its history",
                    jobId, fromSequenceNr - 1, mustReach);
            JobViewFold history = new JobViewFold(from == null ? Map.of() : Map.of(jobId, from));
            return PekkoStages.direct(histories.currentEventsByPersistenceId(persistenceId, fromSequenceNr, Long.MAX_VALUE)
                    .runForeach(e -> jobEvent(e).ifPresent(event -> history.add(persistenceId, e.sequenceNr(), event)),
                            StreamRuns.get(system).materializer(StreamRuns.Site.PROJECTION)))
                    .thenApply(d -> {
                        Job view = history.view(jobId);
                        if (!history.gaps().isEmpty() || view == null || view.revision() < mustReach) {
                            throw new IllegalStateException("history of job " + jobId + " (" + persistenceId + ") reaches revision "
                                    + (view == null ? 0 : view.revision()) + " without gaps, but the tag stream has sequence number "
                                    + mustReach);
                        }
                        return view;
                    });
        }

        private static Optional<JobEvent> jobEvent(EventEnvelope envelope) {
            if (envelope.event() instanceof JobEvent event) {
                return Optional.of(event);
            }
            log.warn("ignoring {} at {} #{} tagged '{}': not a job event", envelope.event().getClass().getName(),
                    envelope.persistenceId(), envelope.sequenceNr(), JobEvent.TAG);
            return Optional.empty();
        }

        private static long sequenceOf(EventEnvelope envelope) {
            if (envelope.offset() instanceof Sequence sequence) {
                return sequence.value();
            }
            throw new IllegalStateException("the job projection needs Sequence offsets, got " + envelope.offset());
        }
    }
}
