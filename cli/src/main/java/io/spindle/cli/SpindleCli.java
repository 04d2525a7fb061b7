package io.spindle.cli;

import io.spindle.cli.commands.AliasCommand;
import io.spindle.cli.commands.ArtifactsCommand;
import io.spindle.cli.commands.BenchCommand;
import io.spindle.cli.commands.CancelCommand;
import io.spindle.cli.commands.ClusterCommand;
import io.spindle.cli.commands.ConfigsCommand;
import io.spindle.cli.commands.DownloadCommand;
import io.spindle.cli.commands.ErrorReporter;
import io.spindle.cli.commands.EventsCommand;
import io.spindle.cli.commands.ExperimentCommand;
import io.spindle.cli.commands.ExitCodes;
import io.spindle.cli.commands.GetCommand;
import io.spindle.cli.commands.ListCommand;
import io.spindle.cli.commands.RequeueCommand;
import io.spindle.cli.commands.SubmitCommand;
import io.spindle.cli.commands.WaitCommand;
import io.spindle.node.memory.TemporaryDirectBuffers;
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
            SubmitCommand.class,
            GetCommand.class,
            WaitCommand.class,
            ListCommand.class,
            CancelCommand.class,
            RequeueCommand.class,
            EventsCommand.class,
            ArtifactsCommand.class,
            DownloadCommand.class,
            ConfigsCommand.class,
            ClusterCommand.class,
            AliasCommand.class,
            ExperimentCommand.class,
            BenchCommand.class,
            // Node commands:
            NodeCommand.class,
            DevCommand.class,
        })
public final class SpindleCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line: one-line errors with exit codes, and the exit codes listed in --help. */
    public static CommandLine commandLine() {
        // No @argfile expansion: options such as --input take @FILE themselves (and picocli would split the JSON).
        CommandLine root = new CommandLine(new SpindleCli()).setExpandAtFiles(false);
        return ExitCodes.describe(ErrorReporter.install(root));
    }

    public static void main(String[] args) {
        TemporaryDirectBuffers.cap(); // before any socket or file-channel I/O reads it
        System.exit(commandLine().execute(args));
    }
}
