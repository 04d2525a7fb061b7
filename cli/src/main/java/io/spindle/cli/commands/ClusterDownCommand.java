package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "down",
        description = {"Down a member (PUT /cluster/members/{address} operation=Down): for a node that is gone or hung.",
                "The cluster stops waiting for it at once; if it still runs it stops and exits non-zero."})
public final class ClusterDownCommand extends ManagementCommand {
    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The member: pekko://spindle@HOST:PORT, or HOST:PORT.")
    String address;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.down(member(address));
        if (json()) {
            printJson(reply);
        } else {
            out().println(reply.json().path("message").asText("downing: " + address));
        }
        return ExitCodes.OK;
    }
}
