package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Where an alias points now, and what it pointed at before (GET /aliases/{name}).")
public final class AliasShowCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The alias.")
    String name;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.alias(name);
        if (json()) {
            printJson(reply);
        } else {
            AliasText.block(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
