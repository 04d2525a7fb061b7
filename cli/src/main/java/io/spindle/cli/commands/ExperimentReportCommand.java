package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "report",
        description = {"An experiment's report (GET /experiments/{id}/report): per arm latency and error rate; per metric and arm pair",
            "the paired mean delta with its bootstrap 95% interval and win/tie/loss with the Wilson interval; the top regressions."})
public final class ExperimentReportCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The experiment.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.experimentReport(id);
        if (json()) {
            printJson(reply);
        } else {
            ExperimentText.report(reply.json(), out());
        }
        return ExitCodes.OK;
    }
}
