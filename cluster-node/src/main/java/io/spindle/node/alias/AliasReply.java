package io.spindle.node.alias;

import io.spindle.model.alias.Alias;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;

/** What an AliasEntity answers: the alias as it now is, or a typed refusal (nothing changed). */
public sealed interface AliasReply {

    record Accepted(Alias alias) implements AliasReply {}

    record Rejected(SpindleError error) implements AliasReply {}

    default Alias orThrow() {
        if (this instanceof Accepted a) {
            return a.alias();
        }
        throw new SpindleException(((Rejected) this).error());
    }
}
