package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "requeue",
        description = "Send a dead-lettered job back to the queue with a fresh budget of attempts (POST /jobs/{id}/requeue).")
public final class RequeueCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.requeue(id);
        if (json()) {
            printJson(reply);
        } else {
            JobPrinting.print(reply, false, out());
        }
        return ExitCodes.OK;
    }
}
