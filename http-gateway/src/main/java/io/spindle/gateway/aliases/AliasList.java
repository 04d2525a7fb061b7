package io.spindle.gateway.aliases;

import io.spindle.model.alias.Alias;
import io.spindle.model.alias.AliasChange;
import io.spindle.model.alias.AliasTarget;
import java.time.Instant;
import java.util.List;

/** {@code GET /aliases}: every alias, in the order they were created, with its target and its last change. */
public record AliasList(List<Summary> aliases) {

    public record Summary(String name, AliasTarget target, int changes, AliasChange lastChange, Instant updatedAt) {
        static Summary of(Alias a) {
            return new Summary(a.name(), a.target(), a.history().size(), a.history().get(a.history().size() - 1), a.updatedAt());
        }
    }

    static AliasList of(List<Alias> aliases) {
        return new AliasList(aliases.stream().map(Summary::of).toList());
    }
}
