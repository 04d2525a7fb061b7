package io.spindle.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster",
        description = {"The cluster: its member nodes, and which node hosts which config (over the API);",
                "members, leave, down and shards over a node's cluster management port."},
        subcommands = {ClusterNodesCommand.class, ClusterConfigsCommand.class, ClusterMembersCommand.class,
                ClusterMemberCommand.class, ClusterLeaveCommand.class, ClusterDownCommand.class, ClusterShardsCommand.class})
public final class ClusterCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
