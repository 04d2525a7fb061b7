package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rescore",
        description = "Add scorers to an experiment (POST /experiments/{id}/rescore): they score the outputs already there; nothing is replayed.")
public final class ExperimentRescoreCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The experiment.")
    String id;

    @Option(names = "--scorers", required = true, paramLabel = "JSON|@FILE",
            description = "A JSON array of scorers (as in the spec's \"scorers\"), or @FILE (@- for stdin).")
    String scorers;

    @Override
    protected int run(SpindleClient client) {
        JsonNode given = JsonArgument.parse(spec.commandLine(), "--scorers", scorers);
        if (!given.isArray()) {
            throw usage("--scorers must be a JSON array of scorers, e.g. '[{\"name\": \"wer\", \"type\": \"eval.wer\", …}]'");
        }
        var body = Json.object();
        body.set("scorers", given);
        ApiReply reply = client.rescore(id, body);
        if (json()) {
            printJson(reply);
        } else {
            ExperimentText.status(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
