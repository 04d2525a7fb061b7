package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "wait",
        description = {"Wait until a job is terminal and exit with its outcome (see Exit codes).",
            "Shows its status, progress, attempt and elapsed time: one line redrawn in place on a terminal, "
                + "a line per change otherwise."})
public final class WaitCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Mixin
    WaitOptions waitOptions;

    @Override
    protected int run(SpindleClient client) throws InterruptedException {
        return waitOptions.awaitAndPrint(client, id, json(), out());
    }
}
