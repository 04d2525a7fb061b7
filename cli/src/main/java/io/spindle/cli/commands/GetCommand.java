package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get",
        description = "Show one job (GET /jobs/{id}); a terminal job exits with its outcome (see Exit codes).")
public final class GetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        return JobPrinting.print(client.job(id), json(), out());
    }
}
