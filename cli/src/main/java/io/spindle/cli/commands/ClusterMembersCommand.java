package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "members",
        description = "Cluster members in Pekko's own terms (GET /cluster/members on the management port); "
                + "'*' marks the node that answered.")
public final class ClusterMembersCommand extends ManagementCommand {
    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.members();
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        JsonNode body = reply.json();
        Set<String> unreachable = new HashSet<>();
        body.path("unreachable").forEach(u -> unreachable.add(u.path("node").asText()));
        String self = body.path("selfNode").asText();
        String leader = body.path("leader").asText();
        String oldest = body.path("oldest").asText();
        TextTable table = new TextTable("MEMBER", "STATUS", "REACHABLE", "ROLES", "LEADER", "OLDEST");
        for (JsonNode m : body.path("members")) {
            String node = m.path("node").asText();
            table.row(node + (node.equals(self) ? " *" : ""), m.path("status").asText(null),
                    unreachable.contains(node) ? "no" : "yes", Formats.cell(m.path("roles")),
                    node.equals(leader) ? "yes" : "", node.equals(oldest) ? "yes" : "");
        }
        if (table.size() == 0) {
            out().println("no members");
        } else {
            table.print(out());
        }
        return ExitCodes.OK;
    }
}
