package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.json.Json;
import java.io.PrintWriter;

/** Flips a config's active flag ({@code PATCH /configs/{id}} with {@code is_active}) and prints the result. */
final class ConfigActivation {
    private ConfigActivation() {}

    static int set(SpindleClient client, String id, boolean active, boolean json, PrintWriter out) {
        ApiReply reply = client.updateConfig(id, Json.object().put("is_active", active));
        if (json) {
            out.println(reply.body().strip());
        } else {
            ConfigText.block(reply.as(ModelConfig.class)).print(out);
        }
        return ExitCodes.OK;
    }
}
