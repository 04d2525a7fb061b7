package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "member", description = "One cluster member (GET /cluster/members/{address} on the management port).")
public final class ClusterMemberCommand extends ManagementCommand {
    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The member: pekko://spindle@HOST:PORT, or HOST:PORT.")
    String address;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.member(member(address));
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        JsonNode m = reply.json();
        out().println("member:  " + m.path("node").asText());
        out().println("uid:     " + m.path("nodeUid").asText());
        out().println("status:  " + m.path("status").asText());
        out().println("roles:   " + Formats.cell(m.path("roles")));
        return ExitCodes.OK;
    }
}
