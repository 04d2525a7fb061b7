package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "deactivate",
        description = "Stop a config from accepting new jobs.")
public final class ConfigsDeactivateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The config id.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        return ConfigActivation.set(client, id, false, json(), out());
    }
}
