package io.spindle.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alias",
        description = "Aliases (a stable name such as tts-prod for one config version): create, show, promote through a gate, roll back, history.",
        subcommands = {
            AliasCreateCommand.class,
            AliasShowCommand.class,
            AliasPromoteCommand.class,
            AliasRollbackCommand.class,
            AliasHistoryCommand.class,
        })
public final class AliasCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
