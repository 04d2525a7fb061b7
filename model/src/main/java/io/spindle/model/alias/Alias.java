package io.spindle.model.alias;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An alias as folded from its events: the current target, the targets a rollback returns to (most recent last), and
 * the whole history, from which {@link #targetAt} answers "what did this alias serve at time T?"; and its shadow, if one runs.
 */
public record Alias(String name, AliasTarget target, List<AliasTarget> previous, List<AliasChange> history, Instant updatedAt,
                    ShadowConfig shadow) {

    public Alias {
        previous = List.copyOf(previous);
        history = List.copyOf(history);
    }

    public static Alias created(AliasEvent.Created e) {
        return new Alias(e.name(), e.to(), List.of(), List.of(AliasChange.of(e)), e.at(), null);
    }

    public Alias apply(AliasEvent event) {
        List<AliasTarget> stack = new ArrayList<>(previous);
        if (event instanceof AliasEvent.Promoted) {
            stack.add(target);
        } else if (event instanceof AliasEvent.RolledBack && !stack.isEmpty()) {
            stack.remove(stack.size() - 1);
        }
        List<AliasChange> lines = new ArrayList<>(history);
        lines.add(AliasChange.of(event));
        ShadowConfig next = event instanceof AliasEvent.ShadowStarted s ? s.shadow() : event instanceof AliasEvent.ShadowStopped ? null : shadow;
        return new Alias(name, event.to(), stack, lines, event.at(), next);
    }

    /** The target a rollback would return to. */
    public Optional<AliasTarget> rollbackTarget() {
        return previous.isEmpty() ? Optional.empty() : Optional.of(previous.get(previous.size() - 1));
    }

    /** The target in force at {@code at}: that of the last change made at or before it; empty before the alias existed. */
    public Optional<AliasTarget> targetAt(Instant at) {
        AliasTarget found = null;
        for (AliasChange change : history) {
            if (change.at().isAfter(at)) {
                break;
            }
            found = change.to();
        }
        return Optional.ofNullable(found);
    }
}
