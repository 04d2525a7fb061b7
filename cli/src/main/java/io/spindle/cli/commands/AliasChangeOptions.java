package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** Who changes an alias and why: recorded in its history (the API knows tokens, not people). */
final class AliasChangeOptions {
    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the change (default: the server's 'api').")
    String actor;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the alias's history.")
    String reason;

    ObjectNode addTo(ObjectNode body) {
        if (actor != null) {
            body.put("actor", actor);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }
}
