package io.spindle.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "experiment",
        description = "Experiments: replay historical jobs on other configs, score the outputs, report with intervals.",
        subcommands = {
            ExperimentCreateCommand.class,
            ExperimentStatusCommand.class,
            ExperimentReportCommand.class,
            ExperimentRescoreCommand.class,
        })
public final class ExperimentCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
