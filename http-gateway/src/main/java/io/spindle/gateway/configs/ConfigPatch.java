package io.spindle.gateway.configs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Body of {@code PATCH /configs/{id}}: every field optional. Which fields were given (a field given
 * as null clears it) comes from the JSON document, since a record cannot tell absent from null.
 */
public record ConfigPatch(
        String name,
        List<String> jobTypes,
        String runtimeBackend,
        String modelRef,
        ObjectNode params,
        String preferredNode,
        Boolean isActive,
        String versionLabel) {}
