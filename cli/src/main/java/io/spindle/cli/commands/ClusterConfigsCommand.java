package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;

@Command(name = "configs",
        description = "Which nodes host which config (GET /cluster/configs); it may lag by a gossip round.")
public final class ClusterConfigsCommand extends ClientCommand {
    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.clusterConfigs();
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("CONFIG", "NODES");
        for (JsonNode c : reply.json().path("configs")) {
            table.row(c.path("config_id").asText(null), Formats.cell(c.path("nodes")));
        }
        if (table.size() == 0) {
            out().println("no config is hosted");
        } else {
            table.print(out());
        }
        return ExitCodes.OK;
    }
}
