package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "leave",
        description = {"Ask a member to leave the cluster gracefully (DELETE /cluster/members/{address}): its jobs' entities",
                "move to other nodes and the node stops (exit code 0)."})
public final class ClusterLeaveCommand extends ManagementCommand {
    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The member: pekko://spindle@HOST:PORT, or HOST:PORT.")
    String address;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.leave(member(address));
        if (json()) {
            printJson(reply);
        } else {
            out().println(reply.json().path("message").asText("leaving: " + address));
        }
        return ExitCodes.OK;
    }
}
