package io.spindle.node.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** A minimal event-sourced entity appending strings; each Append is one persistAll. */
public final class TestEntity extends EventSourcedBehavior<TestEntity.Command, TestEntity.Appended, TestEntity.State> {

    public sealed interface Command {
    }

    /** Persists one event per value (all in one AtomicWrite); replies with the number of values. */
    public record Append(List<String> values, ActorRef<Integer> replyTo) implements Command {
    }

    public record GetValues(ActorRef<List<String>> replyTo) implements Command {
    }

    public record Appended(String value) implements TestJsonSerializable {
    }

    public record State(List<String> values) implements TestJsonSerializable {
        State add(String value) {
            List<String> next = new ArrayList<>(values);
            next.add(value);
            return new State(List.copyOf(next));
        }
    }

    private final Set<String> tags;
    private final int snapshotEvery;

    private TestEntity(String persistenceId, Set<String> tags, int snapshotEvery) {
        super(PersistenceId.ofUniqueId(persistenceId));
        this.tags = tags;
        this.snapshotEvery = snapshotEvery;
    }

    public static Behavior<Command> create(String persistenceId, Set<String> tags) {
        return new TestEntity(persistenceId, tags, 0);
    }

    /** Snapshots every {@code snapshotEvery} events, keeping one, and deletes the events it covers. */
    public static Behavior<Command> withSnapshots(String persistenceId, int snapshotEvery) {
        return new TestEntity(persistenceId, Set.of(), snapshotEvery);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return snapshotEvery == 0
                ? RetentionCriteria.disabled()
                : RetentionCriteria.snapshotEvery(snapshotEvery, 1).withDeleteEventsOnSnapshot();
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public CommandHandler<Command, Appended, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Append.class, (state, append) -> Effect()
                        .persist(append.values().stream().map(Appended::new).toList())
                        .thenReply(append.replyTo(), next -> next.values().size()))
                .onCommand(GetValues.class, (state, get) -> Effect().reply(get.replyTo(), state.values()))
                .build();
    }

    @Override
    public EventHandler<State, Appended> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Appended.class, (state, event) -> state.add(event.value()))
                .build();
    }

    @Override
    public Set<String> tagsFor(Appended event) {
        return tags;
    }
}
