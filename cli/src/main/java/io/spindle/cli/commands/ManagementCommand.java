package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A command that talks to a node's cluster management port (Pekko Management's routes) rather than the API;
 * failures are reported like every client command's, by {@link ErrorReporter}.
 */
public abstract class ManagementCommand implements Callable<Integer> {
    /** What Pekko Management names a member by in paths: {@code system@host:port}. */
    private static final Pattern HOST_PORT = Pattern.compile("[^@/]+:\\d+");
    private static final String SYSTEM = "spindle@";
    private static final String PROTOCOL = "pekko://";

    @CommandLine.Mixin
    protected ManagementOptions options;

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        int code = run(options.client());
        out().flush();
        return code;
    }

    protected abstract int run(SpindleClient client) throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected boolean json() {
        return options.json();
    }

    protected void printJson(ApiReply reply) {
        out().println(reply.body().strip());
    }

    /**
     * A member as typed ({@code pekko://spindle@host:port}, {@code spindle@host:port} or {@code host:port}, as
     * {@code spindle cluster members} and {@code /cluster/nodes} show it) in the form the management routes take.
     */
    protected String member(String typed) {
        String value = typed.strip();
        if (value.startsWith(PROTOCOL)) {
            value = value.substring(PROTOCOL.length());
        }
        if (HOST_PORT.matcher(value).matches()) {
            value = SYSTEM + value;
        }
        if (!value.contains("@") || !HOST_PORT.matcher(value.substring(value.indexOf('@') + 1)).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "'" + typed + "' is not a member address such as pekko://spindle@127.0.0.1:25520 or 127.0.0.1:25520");
        }
        return value;
    }
}
