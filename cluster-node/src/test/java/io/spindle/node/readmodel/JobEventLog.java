package io.spindle.node.readmodel;

import io.spindle.model.job.JobEvent;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A stand-in for the JobEntity in projection tests: persists whatever job events it is given under
 * the entity's persistence id ({@code job|<id>}) with the {@link JobEvent#TAG} tag, as the real one does.
 */
final class JobEventLog extends EventSourcedBehavior<JobEventLog.Append, JobEvent, Long> {

    /** Persist these events (atomically, in order) and reply once they are written. */
    record Append(List<JobEvent> events, ActorRef<Done> replyTo) {}

    static Behavior<Append> create(String jobId) {
        return new JobEventLog(jobId);
    }

    private JobEventLog(String jobId) {
        super(PersistenceId.of("job", jobId));
    }

    @Override
    public Long emptyState() {
        return 0L;
    }

    @Override
    public CommandHandler<Append, JobEvent, Long> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Append.class, (state, cmd) -> Effect().persist(cmd.events()).thenReply(cmd.replyTo(), s -> Done.getInstance()))
                .build();
    }

    @Override
    public EventHandler<Long, JobEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((count, event) -> count + 1);
    }

    @Override
    public Set<String> tagsFor(JobEvent event) {
        return Set.of(JobEvent.TAG);
    }
}
