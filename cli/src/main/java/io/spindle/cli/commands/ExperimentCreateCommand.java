package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create",
        description = {"Create an experiment from its spec (POST /experiments): selection, candidates, scorers, budget;",
            "see docs/experiments.md. --dry-run says how many sources it selects and jobs it runs, creating nothing."})
public final class ExperimentCreateCommand extends ClientCommand {
    @Option(names = "--spec", required = true, paramLabel = "JSON|@FILE", description = "The experiment spec as JSON, or @FILE (@- for stdin).")
    String specJson;

    @Option(names = "--dry-run", description = "Only say what it would select and run.")
    boolean dryRun;

    @Override
    protected int run(SpindleClient client) {
        JsonNode body = JsonArgument.parseObject(spec.commandLine(), "--spec", specJson);
        ApiReply reply = client.createExperiment(body, dryRun);
        if (json()) {
            printJson(reply);
        } else if (dryRun) {
            ExperimentText.plan(reply.json()).print(out());
        } else {
            ExperimentText.status(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
