package io.spindle.cli.commands;

import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.config.ModelConfig;
import picocli.CommandLine.Command;

@Command(name = "list", description = "The latest version of every config (GET /configs).")
public final class ConfigsListCommand extends ClientCommand {
    @Override
    protected int run(SpindleClient client) {
        ApiReply reply = client.configs();
        if (json()) {
            printJson(reply);
            return ExitCodes.OK;
        }
        TextTable table = ConfigText.table();
        ApiJson.list(reply.json(), "configs", ModelConfig.class).forEach(c -> ConfigText.addRow(table, c));
        if (table.size() == 0) {
            out().println("no configs");
        } else {
            table.print(out());
        }
        return ExitCodes.OK;
    }
}
