package io.spindle.cli.commands;

import io.spindle.cli.client.SpindleClient;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every client command takes: where the server is, the API token, and machine (JSON) output. */
public final class ClientOptions {
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:SPINDLE_URL:-" + DEFAULT_SERVER + "}",
            description = "The Spindle server (env SPINDLE_URL; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_API_TOKEN}", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "API token, sent as 'Authorization: Bearer' (env SPINDLE_API_TOKEN).")
    String token;

    @Option(names = "--json", description = "Machine output: the API's JSON as is.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    public boolean json() {
        return json;
    }

    public SpindleClient client() {
        return new SpindleClient(serverUri(), token);
    }

    URI serverUri() {
        return HttpUrls.parse(server).orElseThrow(() -> new CommandLine.ParameterException(mixee.commandLine(),
                "--server '" + server + "' is not a server URL such as " + DEFAULT_SERVER));
    }
}
