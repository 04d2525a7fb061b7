package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.config.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "One config: its latest version, or --version N (GET /configs/{id}).")
public final class ConfigsGetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The config id.")
    String id;

    @Option(names = "--version", paramLabel = "N", description = "A version number (1, 2, …).")
    Integer version;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.config(id, version);
        if (json()) {
            printJson(reply);
        } else {
            ConfigText.block(reply.as(ModelConfig.class)).print(out());
        }
        return ExitCodes.OK;
    }
}
