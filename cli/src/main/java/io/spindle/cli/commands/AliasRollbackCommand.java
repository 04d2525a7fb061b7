package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = "Point an alias back at its previous target, in one call (POST /aliases/{name}/rollback).")
public final class AliasRollbackCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The alias.")
    String name;

    @Mixin
    AliasChangeOptions change;

    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.rollbackAlias(name, change.addTo(Json.object()));
        if (json()) {
            printJson(reply);
        } else {
            AliasText.block(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
