package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "An experiment's arms, scorers and progress (GET /experiments/{id}).")
public final class ExperimentStatusCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The experiment.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.experiment(id);
        if (json()) {
            printJson(reply);
        } else {
            ExperimentText.status(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
