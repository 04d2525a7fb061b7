package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote",
        description = {"Point an alias at another config version (POST /aliases/{name}/promote).",
            "The server evaluates --gate on --experiment's report now and refuses (409 gate_not_passed) unless it passes;",
            "--force moves it anyway, recorded as forced."})
public final class AliasPromoteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The alias.")
    String name;

    @Option(names = "--config", required = true, paramLabel = "ID", description = "The config to serve.")
    String configId;

    @Option(names = "--version", paramLabel = "N", description = "The config version (default: its latest).")
    Integer version;

    @Option(names = "--experiment", paramLabel = "ID", description = "The experiment whose report is the evidence.")
    String experiment;

    @Option(names = "--gate", paramLabel = "NAME", description = "The gate the report must pass.")
    String gate;

    @Option(names = "--arm", paramLabel = "ARM", description = "The experiment's arm that ran this config (default: found by config and version).")
    String arm;

    @Option(names = "--force", description = "Promote without a passing gate (recorded as forced).")
    boolean force;

    @Mixin
    AliasChangeOptions change;

    @Override
    protected int run(SpindleClient client) {
        if (!force && (experiment == null || gate == null)) {
            throw usage("a promotion cites --experiment and --gate (or is --force)");
        }
        var body = Json.object().put("config_id", configId);
        if (version != null) {
            body.put("version", version);
        }
        if (experiment != null) {
            body.put("experiment", experiment);
        }
        if (gate != null) {
            body.put("gate", gate);
        }
        if (arm != null) {
            body.put("candidate_arm", arm);
        }
        if (force) {
            body.put("force", true);
        }
        ApiReply reply = client.promoteAlias(name, change.addTo(body));
        if (json()) {
            printJson(reply);
        } else {
            AliasText.block(reply.json()).print(out());
        }
        return ExitCodes.OK;
    }
}
