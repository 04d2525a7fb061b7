package io.spindle.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster",
        description = "The cluster: its member nodes, and which node hosts which config.",
        subcommands = {ClusterNodesCommand.class, ClusterConfigsCommand.class})
public final class ClusterCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
