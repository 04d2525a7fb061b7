package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Every change of an alias, oldest first; --at T also says what it served then (GET /aliases/{name}/history).")
public final class AliasHistoryCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The alias.")
    String name;

    @Option(names = "--at", paramLabel = "TIME", description = "A time (ISO-8601, e.g. 2026-12-01T10:00:00Z, or an age such as 2h).")
    String at;

    @Override
    protected int run(SpindleClient client) {
        Instant when = at == null ? null : TimeArgument.parse(at, Instant.now(), Clock.systemDefaultZone().getZone());
        ApiReply reply = client.aliasHistory(name, when);
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        JsonNode history = reply.json();
        TextTable table = new TextTable("AT", "CHANGE", "FROM", "TO", "BY", "EVIDENCE", "REASON");
        history.path("history").forEach(c -> table.row(c.path("at").asText(), c.path("kind").asText(), AliasText.target(c.path("from")),
                AliasText.target(c.path("to")), c.path("actor").asText(null), AliasText.evidence(c), c.path("reason").asText(null)));
        table.print(out());
        if (when != null) {
            out().println();
            out().println("at " + Formats.instant(when) + " " + name + " served " + AliasText.target(history.path("target_at")));
        }
        return ExitCodes.OK;
    }
}
