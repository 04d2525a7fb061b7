package io.spindle.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "configs",
        description = "The ModelConfig registry: list, show, register, activate and deactivate configs.",
        subcommands = {
            ConfigsListCommand.class,
            ConfigsGetCommand.class,
            ConfigsCreateCommand.class,
            ConfigsActivateCommand.class,
            ConfigsDeactivateCommand.class,
        })
public final class ConfigsCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
