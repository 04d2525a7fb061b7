package io.spindle.gateway.aliases;

import io.spindle.model.alias.AliasChange;
import io.spindle.model.alias.AliasTarget;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /aliases/{name}/history}: every change, oldest first; with {@code ?at=T} also {@code target_at}, what the
 * alias served at T (absent when it did not exist yet).
 */
public record AliasHistoryView(String name, AliasTarget target, Instant at, AliasTarget targetAt, List<AliasChange> history) {}
