package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cancel",
        description = {"Cancel a job (POST /jobs/{id}/cancel).",
            "A queued job ends canceled at once; a running one is asked to stop and ends canceled when its "
                + "worker confirms (follow it with 'spindle wait ID')."})
public final class CancelCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the job's history.")
    String reason;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.cancel(id, reason);
        if (json()) {
            printJson(reply);
        } else {
            JobPrinting.print(reply, false, out());
        }
        return ExitCodes.OK;
    }
}
