package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;

@Command(name = "nodes",
        description = "Members of the cluster (GET /cluster/nodes); '*' marks the node that answered.")
public final class ClusterNodesCommand extends ClientCommand {
    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.clusterNodes();
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("NODE", "ADDRESS", "STATUS", "REACHABLE", "ROLES", "UP SINCE", "CONFIGS");
        for (JsonNode n : reply.json().path("nodes")) {
            String name = n.path("node_name").asText("-") + (n.path("self").asBoolean(false) ? " *" : "");
            table.row(name, n.path("address").asText(null), n.path("status").asText(null),
                    n.path("reachable").asBoolean(true) ? "yes" : "no", Formats.cell(n.path("roles")),
                    n.path("up_since").asText(null), Formats.cell(n.path("hosted_configs")));
        }
        if (table.size() == 0) {
            out().println("no nodes");
        } else {
            table.print(out());
        }
        return ExitCodes.OK;
    }
}
