package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that talks to a Spindle server. Output goes to picocli's writers (so tests and embedders can capture
 * it); failures are thrown and turned into one line and an exit code by {@link ErrorReporter}.
 */
public abstract class ClientCommand implements Callable<Integer> {
    @CommandLine.Mixin
    protected ClientOptions options;

    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        int code = run(options.client());
        out().flush();
        return code;
    }

    /** Does the command's work and answers its exit code. */
    protected abstract int run(SpindleClient client) throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean json() {
        return options.json();
    }

    /** Prints an answer's body exactly as the server sent it. */
    protected void printJson(ApiReply reply) {
        out().println(reply.body().strip());
    }

    protected CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
