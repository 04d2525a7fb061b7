package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.json.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create an alias on a config version (PUT /aliases/{name}).")
public final class AliasCreateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The alias, e.g. tts-prod.")
    String name;

    @Option(names = "--config", required = true, paramLabel = "ID", description = "The config it serves.")
    String configId;

    @Option(names = "--version", paramLabel = "N", description = "The config version (default: its latest).")
    Integer version;

    @Mixin
    AliasChangeOptions change;

    @Override
    protected int run(SpindleClient client) {
        var body = Json.object().put("config_id", configId);
        if (version != null) {
            body.put("version", version);
        }
        ApiReply reply = client.createAlias(name, change.addTo(body));
        if (json()) {
            printJson(reply);
        } else {
            AliasText.block(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
