package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the cluster management commands: where a node's management port is, the API token, JSON output. */
public final class ManagementOptions {
    public static final String DEFAULT_MANAGEMENT = "http://127.0.0.1:8558";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--management", paramLabel = "URL", defaultValue = "${env:SPINDLE_MANAGEMENT_URL:-" + DEFAULT_MANAGEMENT + "}",
            description = "A node's cluster management HTTP (spindle.management; env SPINDLE_MANAGEMENT_URL; default ${DEFAULT-VALUE}).")
    String management;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_API_TOKEN}", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "API token, sent as 'Authorization: Bearer' (env SPINDLE_API_TOKEN).")
    String token;

    @Option(names = "--json", description = "Machine output: Pekko Management's JSON as is.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    public boolean json() {
        return json;
    }

    public SpindleClient client() {
        return new SpindleClient(managementUri(), token);
    }

    URI managementUri() {
        return HttpUrls.parse(management).orElseThrow(() -> new CommandLine.ParameterException(mixee.commandLine(),
                "--management '" + management + "' is not a URL such as " + DEFAULT_MANAGEMENT));
    }
}
