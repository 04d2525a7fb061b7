package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "activate", description = "Let a config accept new jobs again.")
public final class ConfigsActivateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The config id.")
    String id;

    @Override
    protected int run(SpindleClient client) {
        return ConfigActivation.set(client, id, true, json(), out());
    }
}
