package io.spindle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spindle} command: client commands over HTTP, plus {@code spindle node} and {@code spindle dev}. */
@Command(
        name = "spindle",
        mixinStandardHelpOptions = true,
        versionProvider = SpindleVersion.class,
        description = "Spindle: a durable, observable job fabric for generative ML workloads.",
        subcommands = {
            // Client commands (over HTTP):
            // Node commands:
            NodeCommand.class,
            DevCommand.class,
        })
public final class SpindleCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpindleCli()).execute(args));
    }
}
